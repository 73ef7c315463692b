package kycpg

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migration is one versioned file of migrations/: NNNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, n := range names {
		base := path.Base(n)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: the name must start with a version number and _", base)
		}
		b, err := migrations.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s have one version", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// SchemaVersion is the version of the newest migration this package holds:
// what Migrate brings the schema to.
func SchemaVersion() int {
	ms, err := loadMigrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Migrate creates the store's schema and tables, or brings them to this
// version of the package, in one transaction: it creates the schema when
// absent and runs, in order, each embedded migration the schema has not
// recorded in its schema_migrations table. Nothing else runs migrations:
// call it from a deploy step, or at start-up. Replicas may call it at the
// same moment: an advisory lock taken on the schema's name makes them
// run one after the other, and the second finds nothing
// to do. The role needs CREATE on the database (or an existing schema it
// owns).
func (s *Store) Migrate(ctx context.Context) error {
	const op = "kycpg.Migrate"
	ms, err := loadMigrations()
	if err != nil {
		return kycError{op: op, kind: kindInvalid, msg: "the embedded migrations are malformed"}.err()
	}
	if err := ctx.Err(); err != nil {
		return wrap(ctx, op, err)
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return wrap(ctx, op, err)
	}
	defer conn.Release()
	// A session-level advisory lock, taken before the migration's
	// transaction begins: a transaction that starts after it holds the
	// lock sees the catalog as the previous holder committed it (taken
	// inside the transaction, pg_advisory_xact_lock leaves the catalog
	// caches of the waiting transaction stale, and CREATE SCHEMA IF NOT
	// EXISTS then fails on a duplicate).
	lockKey := "kycpg:migrate:" + s.schemaName
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(hashtextextended($1, 0))`, lockKey); err != nil {
		return wrap(ctx, op, err)
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, lockKey); err != nil {
			_ = conn.Conn().Close(uctx) // closing the session releases its locks
		}
	}()
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+s.schema); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+s.schema+`.schema_migrations (
			version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		done := map[int]bool{}
		rows, err := tx.Query(ctx, `SELECT version FROM `+s.schema+`.schema_migrations`)
		if err != nil {
			return err
		}
		vs, err := pgx.CollectRows(rows, pgx.RowTo[int32])
		if err != nil {
			return err
		}
		for _, v := range vs {
			done[int(v)] = true
		}
		for _, m := range ms {
			if done[m.version] {
				continue
			}
			if _, err := tx.Exec(ctx, strings.ReplaceAll(m.sql, "{{schema}}", s.schema)); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO `+s.schema+`.schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap(ctx, op, err)
}
