import type postgres from "postgres";

// Every statement with parameters runs as a named prepared statement (when
// DATABASE_PREPARED_STATEMENTS is on). Drizzle hands its SQL to the driver's `unsafe()` without
// preparing it; the driver then sends a statement with parameters in two round trips (parse and
// describe, wait for the parameter types, then bind and execute) and the server parses and plans
// it every time. Prepared, it is parsed once per connection; after that each execution is one
// round trip (bind + execute) and PostgreSQL may reuse the plan.
//
// The driver keeps one prepared statement per distinct SQL text on each connection, for the
// connection's life (30–60 minutes, the driver's max_lifetime). So the cache stays bounded only
// if SQL texts are few: values always travel as parameters (an id list as one `…::bigint[]`
// parameter, never written into the text). Statements with many parameters (bulk inserts, whose
// text changes with the row count) are left unprepared: they are rare and not on the hot path.
//
// Behind a transaction-mode pooler (PgBouncer before 1.21), a statement prepared on one server
// connection is not found on the next: DATABASE_PREPARED_STATEMENTS=false sets the pool's own
// `prepare: false`, which the driver lets win over the per-query option set here.

/** Above this many parameters a statement is run unprepared (its text is likely one of many). */
export const MAX_PREPARED_PARAMETERS = 64;

type Unsafe = postgres.Sql["unsafe"];
type Callback = (sql: postgres.Sql) => unknown;

/** The pool (or a transaction's connection) with `unsafe()` preparing statements that carry parameters. */
export function preparing<T extends postgres.Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        const unsafe: Unsafe = (text, args = [], options = {}) => {
          const n = Array.isArray(args) ? args.length : 0;
          const prepare = n > 0 && n <= MAX_PREPARED_PARAMETERS;
          return target.unsafe(text, args, prepare ? { ...options, prepare: true } : options);
        };
        return unsafe;
      }
      // Transactions and savepoints hand their callback a new connection object: wrap that too.
      if (prop === "begin" || prop === "savepoint") {
        const fn = Reflect.get(target, prop, receiver) as (...a: unknown[]) => unknown;
        return (...a: unknown[]) => {
          const last = a.length - 1;
          const cb = a[last] as Callback;
          return fn.apply(target, [...a.slice(0, last), (inner: postgres.Sql) => cb(preparing(inner))]);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}
