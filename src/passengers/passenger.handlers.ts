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

// A conditional write matched no row: 412 if the passenger exists at another
// version, 404 if it does not exist at all.
async function conditionalFailure(db: Kysely<Database>, uuid: string, ifMatch: string): Promise<HttpProblem> {
  const current = await repository.getPassenger(db, uuid);
  if (!current) return notFound(uuid);
  return new HttpProblem(412, `The passenger has changed since ${ifMatch}; read it again.`, undefined, {
    ETag: toETag(current.version),
  });
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
        // Same filters and limit, cursor moved to this page's last uuid.
        const next = new URLSearchParams(ctx.querystring);
        next.set('after', passengers[passengers.length - 1].uuid);
        headers.Link = `<${ctx.path}?${next.toString()}>; rel="next"`;
      }
      return { status: 200, body: passengers, headers };
    },

    async getPassenger({ path, ctx }) {
      const stored = await repository.getPassenger(db, path.uuid);
      if (!stored) throw notFound(path.uuid);
      const headers = { ETag: toETag(stored.version) };
      if (matchesIfNoneMatch(ctx.get('If-None-Match'), headers.ETag)) return { status: 304, body: undefined, headers };
      return { status: 200, body: stored.passenger, headers };
    },

    async createPassenger({ body }) {
      const { passenger, version } = await repository.createPassenger(writes, body);
      const headers = { Location: `/getpassenger/${passenger.uuid}`, ETag: toETag(version) };
      return { status: 201, body: passenger, headers };
    },

    async replacePassenger({ path, body, ctx }) {
      const ifMatch = ctx.get('If-Match');
      const stored = await repository.replacePassenger(writes, path.uuid, body, expectedVersions(ifMatch));
      if (!stored) throw await conditionalFailure(db, path.uuid, ifMatch);
      return { status: 200, body: stored.passenger, headers: { ETag: toETag(stored.version) } };
    },

    async patchPassenger({ path, body, ctx }) {
      const ifMatch = ctx.get('If-Match');
      const stored = await repository.patchPassenger(writes, path.uuid, body, expectedVersions(ifMatch));
      if (!stored) throw await conditionalFailure(db, path.uuid, ifMatch);
      return { status: 200, body: stored.passenger, headers: { ETag: toETag(stored.version) } };
    },

    async deletePassenger({ path, ctx }) {
      const ifMatch = ctx.get('If-Match');
      if (!(await repository.deletePassenger(writes, path.uuid, expectedVersions(ifMatch)))) {
        throw await conditionalFailure(db, path.uuid, ifMatch);
      }
      return { status: 204, body: undefined };
    },
  };
}
