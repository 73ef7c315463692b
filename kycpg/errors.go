package kycpg

import (
	"context"
	"errors"
	"net"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/kyc-go/kyc"
)

type kind int

const (
	kindUnavailable kind = iota
	kindInvalid
	kindNotFound
)

// kycError builds the *kyc.Error of a failure. Its Err is never the
// driver's error: a pgx error's text can hold the host, the user, a value
// of the row (a Reference, an interview id) or the SQL. It keeps the
// context's error (so errors.Is(err, context.Canceled) holds) and, for an
// error the server sent, its SQLSTATE in Code.
type kycError struct {
	op    string
	kind  kind
	field kyc.Field
	msg   string
}

func (k kycError) err() error {
	e := &kyc.Error{Op: k.op, Message: k.msg, Field: k.field, NotSent: true, Unprocessed: true}
	switch k.kind {
	case kindInvalid:
		e.Kind = kyc.ErrInvalidRequest
	case kindNotFound:
		e.Kind = kyc.ErrNotFound
	default:
		e.Kind = kyc.ErrUnavailable
	}
	return e
}

// dbError is what a *kyc.Error of this package wraps in place of the
// driver's error: the SQLSTATE, no text.
type dbError struct{ code string }

func (d *dbError) Error() string {
	if d.code == "" {
		return "postgres: the connection failed"
	}
	return "postgres: SQLSTATE " + d.code
}

// wrap turns a driver error into a *kyc.Error: ErrTimeout when ctx ended
// (wrapping ctx's error), ErrUnavailable otherwise (the connection failed,
// the server refused, a serialization failure).
func wrap(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	var ke *kyc.Error
	if errors.As(err, &ke) {
		return err
	}
	if cerr := ctx.Err(); cerr != nil {
		return &kyc.Error{Op: op, Kind: kyc.ErrTimeout, Message: "the database did not answer before the context ended", Err: cerr}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return &kyc.Error{Op: op, Kind: kyc.ErrTimeout, Message: "the database did not answer in time", Err: context.DeadlineExceeded}
	}
	e := &kyc.Error{Op: op, Kind: kyc.ErrUnavailable, Message: "the database failed"}
	var pe *pgconn.PgError
	var ne net.Error
	switch {
	case errors.As(err, &pe):
		e.Code, e.Err = pe.Code, &dbError{code: pe.Code}
		if pe.Code == "57014" { // query_canceled: statement_timeout
			e.Kind, e.Message = kyc.ErrTimeout, "the statement ran out of time"
		}
	case errors.As(err, &ne) && ne.Timeout():
		e.Kind, e.Message, e.Err = kyc.ErrTimeout, "the connection to the database timed out", &dbError{}
	default:
		e.Message, e.Err = "the database could not be reached", &dbError{}
		if pgconn.Timeout(err) {
			e.Kind = kyc.ErrTimeout
		}
	}
	return e
}
