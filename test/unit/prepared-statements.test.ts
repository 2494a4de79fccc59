import type { Pool, PoolClient } from 'pg';
import { preparedStatementPool } from '../../src/db/prepared-statements';

// A stand-in for node-postgres that records what each query was sent with.
function recordingPool() {
  const sent: { name?: string; text: string }[] = [];
  const client = { query: (config: { name?: string; text: string }) => Promise.resolve(sent.push(config) && { rows: [] }), release: () => undefined };
  return { sent, pool: { connect: () => Promise.resolve(client as unknown as PoolClient), end: () => Promise.resolve() } as unknown as Pool };
}

describe('preparedStatementPool', () => {
  it('names each distinct data statement once and reuses the name', async () => {
    const { sent, pool } = recordingPool();
    const client = await preparedStatementPool(pool).connect();
    await client.query('select uuid from passenger where uuid = $1', ['a']);
    await client.query('insert into passenger (name) values ($1)', ['x']);
    await client.query('select uuid from passenger where uuid = $1', ['b']);
    expect(sent.map((q) => q.name)).toEqual(['passenger_api_1', 'passenger_api_2', 'passenger_api_1']);
  });

  it('leaves DDL and transaction control unnamed', async () => {
    const { sent, pool } = recordingPool();
    const client = await preparedStatementPool(pool).connect();
    for (const text of ['begin', 'create table t (a int)', 'commit']) await client.query(text, []);
    expect(sent.map((q) => q.name)).toEqual([undefined, undefined, undefined]);
  });

  it('stops naming new statements after 200 distinct texts', async () => {
    const { sent, pool } = recordingPool();
    const client = await preparedStatementPool(pool).connect();
    for (let i = 0; i < 201; i++) await client.query(`select ${i}`, []);
    expect(sent[199].name).toBe('passenger_api_200');
    expect(sent[200].name).toBeUndefined();
  });
});
