package devtemporal

import (
	"context"
	"log/slog"
	"os"
	"sync/atomic"

	"go.temporal.io/server/common/log"
	"go.temporal.io/server/common/log/tag"
)

// serverLogger adapts the server's logging interface to slog and keeps only warnings and
// errors: at info level an idle server writes several lines a second, which would bury
// tdkt's own output in dev mode and in test logs. While quiet is set (from creation until
// the frontend answers, and from Stop on) warnings and errors go out at debug level: the
// services report each other unreachable while they join and leave the ring, which is
// expected and says nothing to the user.
type serverLogger struct {
	logger *slog.Logger
	quiet  *atomic.Bool
}

var (
	_ log.Logger     = serverLogger{}
	_ log.WithLogger = serverLogger{}
)

func newServerLogger(logger *slog.Logger, quiet *atomic.Bool) serverLogger {
	return serverLogger{logger: logger.With("component", "temporal-server"), quiet: quiet}
}

// Debug drops the message; see serverLogger.
func (serverLogger) Debug(string, ...tag.Tag) {}

// Info drops the message; see serverLogger.
func (serverLogger) Info(string, ...tag.Tag) {}

// Warn logs at warn level.
func (l serverLogger) Warn(msg string, tags ...tag.Tag) { l.log(slog.LevelWarn, msg, tags) }

// Error logs at error level.
func (l serverLogger) Error(msg string, tags ...tag.Tag) { l.log(slog.LevelError, msg, tags) }

// DPanic logs at error level; it panics only in the server's development builds.
func (l serverLogger) DPanic(msg string, tags ...tag.Tag) { l.log(slog.LevelError, msg, tags) }

// Panic logs at error level, even while quiet, and panics, as the server expects.
func (l serverLogger) Panic(msg string, tags ...tag.Tag) {
	l.logger.Error(msg, attrs(tags)...)
	panic(msg)
}

// Fatal logs at error level, even while quiet, and exits, as the server expects of a
// fatal log.
func (l serverLogger) Fatal(msg string, tags ...tag.Tag) {
	l.logger.Error(msg, attrs(tags)...)
	os.Exit(1)
}

// With returns a logger that adds tags to every message.
func (l serverLogger) With(tags ...tag.Tag) log.Logger {
	return serverLogger{logger: l.logger.With(attrs(tags)...), quiet: l.quiet}
}

func (l serverLogger) log(level slog.Level, msg string, tags []tag.Tag) {
	ctx := context.Background()
	if l.quiet.Load() {
		level = slog.LevelDebug
	}
	if !l.logger.Enabled(ctx, level) {
		return
	}
	l.logger.Log(ctx, level, msg, attrs(tags)...)
}

func attrs(tags []tag.Tag) []any {
	out := make([]any, 0, len(tags))
	for _, t := range tags {
		out = append(out, slog.Any(t.Key(), t.Value()))
	}
	return out
}

// NewServerLogger adapts the Temporal server's logging to logger, keeping warnings
// and errors (see serverLogger); for a server run outside this package, such as
// `tdkt temporal-server`.
func NewServerLogger(logger *slog.Logger) log.Logger {
	return newServerLogger(logger, new(atomic.Bool))
}
