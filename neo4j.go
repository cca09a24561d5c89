package main

import (
	"context"
	"log/slog"

	"github.com/samverkan/samverkan/internal/kg"
	"github.com/samverkan/samverkan/internal/store/neo4j"
)

// openNeo4j connects to the Neo4j server of NEO4J_URI. An unreachable
// server or refused credentials stop the start with a one-line reason.
func openNeo4j(ctx context.Context, cfg config, log *slog.Logger) (kg.Store, error) {
	return neo4j.Open(ctx, neo4j.Config{
		URI:      cfg.Neo4jURI,
		Username: cfg.Neo4jUsername,
		Password: cfg.Neo4jPassword,
		Database: cfg.Neo4jDatabase,

		StatementTimeout: cfg.Neo4jStatementTimeout,
		MaxPoolSize:      cfg.Neo4jMaxPoolSize,
		AcquireTimeout:   cfg.Neo4jAcquireTimeout,
	}, neo4j.WithLogger(log))
}
