/**
 * One value per database pool, made on its first use: kept answers, caches and batchers belong to the pool they were
 * read from or write to (the apps of the tests each have their own database, and one pool's value must never answer
 * another's). A pool that is gone takes its value with it.
 */
export function perPool<Pool extends object, Value>(create: (pool: Pool) => Value): (pool: Pool) => Value {
  const values = new WeakMap<Pool, Value>();
  return (pool) => {
    let value = values.get(pool);
    if (value === undefined) {
      value = create(pool);
      values.set(pool, value);
    }
    return value;
  };
}
