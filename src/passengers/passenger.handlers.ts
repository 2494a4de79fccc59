import type { Context } from 'koa';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Handlers } from '../http/api';
import { HttpProblem } from '../http/problem';
import { matchesIfNoneMatch, pageETag, parseIfMatch, toETag } from './passenger.etag';
import * as repository from './passenger.repository';

type PassengerHandlers = Pick<Handlers, 'listPassengers' | 'getPassenger' | 'createPassenger' | 'replacePassenger' | 'patchPassenger' | 'deletePassenger'>;

function notFound(uuid: string): HttpProblem {
  return new HttpProblem(404, `No passenger with uuid ${uuid}.`);
}

// The versions an If-Match header allows; undefined when any version will do.
function expectedVersions(ifMatch: string): number[] | undefined {
  if (ifMatch === '') return undefined;
  const parsed = parseIfMatch(ifMatch);
  return parsed.any ? undefined : parsed.versions;
}

function changedSince(tag: string, etag: string): HttpProblem {
  return new HttpProblem(412, `The passenger has changed since ${tag}; read it again.`, undefined, { ETag: etag });
}

// A conditional write matched no row: 412 if the passenger exists at another
// version, 404 if it does not exist at all.
async function conditionalFailure(db: Kysely<Database>, uuid: string, since: string): Promise<HttpProblem> {
  const current = await repository.getPassenger(db, uuid);
  if (!current) return notFound(uuid);
  return changedSince(since, toETag(current.version));
}

interface WriteCondition {
  // The versions the write may apply to; undefined: any.
  versions: number[] | undefined;
  // What a 412 says the passenger has changed since.
  since: string;
}

// A write's preconditions (RFC 9110 §13.2.2: If-Match, then If-None-Match).
// If-None-Match on a write is 412 when it matches the current version ("*":
// whenever the passenger exists); otherwise the write applies only to the
// version just checked, so a write in between is a 412 too.
async function writeCondition(db: Kysely<Database>, uuid: string, ctx: Context): Promise<WriteCondition> {
  const ifMatch = ctx.get('If-Match');
  const ifNoneMatch = ctx.get('If-None-Match');
  const versions = expectedVersions(ifMatch);
  if (ifNoneMatch === '') return { versions, since: ifMatch };
  const current = await repository.getPassenger(db, uuid);
  if (!current) throw notFound(uuid);
  const etag = toETag(current.version);
  if (versions !== undefined && !versions.includes(current.version)) throw changedSince(ifMatch, etag);
  if (matchesIfNoneMatch(ifNoneMatch, etag)) {
    throw new HttpProblem(412, `The passenger is at ${etag}, which If-None-Match excludes; nothing was written.`, undefined, { ETag: etag });
  }
  return { versions: [current.version], since: etag };
}

// Writes go through `writes`: on PostgreSQL their own pool, so writers stuck
// on a lock never hold the connections reads need.
export function passengerHandlers(db: Kysely<Database>, writes: Kysely<Database>): PassengerHandlers {
  return {
    async listPassengers({ query, ctx }) {
      // No fallback for limit: the router has applied the spec's default.
      const { passengers, versions, hasMore } = await repository.listPassengers(db, query as repository.ListFilter);
      const etag = pageETag(passengers, versions, hasMore);
      if (matchesIfNoneMatch(ctx.get('If-None-Match'), etag)) return { status: 304, body: undefined, headers: { ETag: etag } };
      const headers: Record<string, string> = { ETag: etag };
      if (hasMore) {
        // Same filters and limit as the client sent them, each in its one
        // canonical spelling (the validated value, not the query's text),
        // cursor moved to this page's last uuid.
        const next = new URLSearchParams();
        for (const [name, value] of Object.entries(query)) if (name in ctx.query) next.set(name, String(value));
        next.set('after', passengers[passengers.length - 1].uuid);
        headers.Link = `<${ctx.path}?${next.toString()}>; rel="next"`;
      }
      return { status: 200, body: passengers, headers };
    },

    async getPassenger({ path, ctx }) {
      const stored = await repository.getPassenger(db, path.uuid);
      if (!stored) throw notFound(path.uuid);
      const headers = { ETag: toETag(stored.version) };
      // RFC 9110 §13.1.1 holds for reads too: a stale If-Match is 412.
      const ifMatch = ctx.get('If-Match');
      const versions = expectedVersions(ifMatch);
      if (versions !== undefined && !versions.includes(stored.version)) throw changedSince(ifMatch, headers.ETag);
      if (matchesIfNoneMatch(ctx.get('If-None-Match'), headers.ETag)) return { status: 304, body: undefined, headers };
      return { status: 200, body: stored.passenger, headers };
    },

    async createPassenger({ body }) {
      const { passenger, version } = await repository.createPassenger(writes, body);
      const headers = { Location: `/getpassenger/${passenger.uuid}`, ETag: toETag(version) };
      return { status: 201, body: passenger, headers };
    },

    async replacePassenger({ path, body, ctx }) {
      const condition = await writeCondition(db, path.uuid, ctx);
      const stored = await repository.replacePassenger(writes, path.uuid, body, condition.versions);
      if (!stored) throw await conditionalFailure(db, path.uuid, condition.since);
      return { status: 200, body: stored.passenger, headers: { ETag: toETag(stored.version) } };
    },

    async patchPassenger({ path, body, ctx }) {
      const condition = await writeCondition(db, path.uuid, ctx);
      const stored = await repository.patchPassenger(writes, path.uuid, body, condition.versions);
      if (!stored) throw await conditionalFailure(db, path.uuid, condition.since);
      return { status: 200, body: stored.passenger, headers: { ETag: toETag(stored.version) } };
    },

    async deletePassenger({ path, ctx }) {
      const condition = await writeCondition(db, path.uuid, ctx);
      if (!(await repository.deletePassenger(writes, path.uuid, condition.versions))) {
        throw await conditionalFailure(db, path.uuid, condition.since);
      }
      return { status: 204, body: undefined };
    },
  };
}
