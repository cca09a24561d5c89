// params: none
// The indexes the database has, for the test that checks the migrations.
SHOW INDEXES
YIELD name, type, labelsOrTypes, properties
RETURN name, type, labelsOrTypes, properties
ORDER BY name
