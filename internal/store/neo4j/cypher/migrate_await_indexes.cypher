// params: $timeoutSeconds: INTEGER
CALL db.awaitIndexes($timeoutSeconds)
