import { GraphQLError } from "graphql";
import { Arg, Authorized, Int, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";
import { ServiceError } from "@deepcuts/engine/service-error.ts";
import { getJob } from "@deepcuts/engine/curation/jobs.ts";
import { FINISHED, type JobRecord } from "@deepcuts/engine/jobs/records.ts";
import { readRecords, watcherFor, watchStream, type ChangeWatcher, type ModelActivation as Activation } from "@deepcuts/engine/jobs/watch.ts";
import type { ApiContext } from "../context.ts";
import { checkArgumentValues } from "../input-limits.ts";
import { positiveId } from "../pagination.ts";
import { Job, JobKind, ModelKind } from "../types/curation.type.ts";
import { ModelActivation } from "../types/live.type.ts";

type Data<A> = { args: A; context: ApiContext };

/**
 * What the schema's middleware does for queries, for a subscription's start (middlewares wrap
 * only the per-event resolver): every argument checked against its stated limit, and a
 * service's ServiceError turned into the GraphQLError code it names.
 */
function guarded<A>(subscribe: (data: Data<A>) => Promise<AsyncIterable<unknown>> | AsyncIterable<unknown>) {
  return async (data: SubscribeResolverData<unknown, Record<string, unknown>, ApiContext>): Promise<AsyncIterable<unknown>> => {
    const fieldArgs = data.info.parentType.getFields()[data.info.fieldName]?.args;
    if (fieldArgs?.length) checkArgumentValues(fieldArgs, data.args);
    try {
      return await subscribe({ args: data.args as A, context: data.context });
    } catch (error) {
      if (error instanceof ServiceError)
        throw new GraphQLError(error.message, { extensions: { code: error.code, ...(error.field ? { field: error.field } : {}) } });
      throw error;
    }
  };
}

const finished = (job: JobRecord) => FINISHED.includes(job.status);

/**
 * Subscriptions (graphql-ws on the API's port, see apps/api/src/http/websocket.ts): the API
 * process watches the job records and active models in the database, whichever process
 * changes them, and pushes each change to its subscribers. Same roles as the queries.
 */
@Resolver()
export class LiveResolver {
  @Authorized("CURATOR")
  @Subscription(() => Job, {
    description:
      "One job's progress: its current state at once, then every change of status, done/total or message; ends after the job finishes. NOT_FOUND for an unknown job.",
    subscribe: guarded(({ args, context }: Data<{ id: number }>) => {
      const id = positiveId(args.id, "id");
      return follow<JobRecord>(
        context,
        (watcher, push) => watcher.onJob((job) => job.id === id && push(job)),
        async () => [await getJob(context.db, id)],
        { until: finished },
      );
    }),
  })
  jobProgress(@Root() job: JobRecord, @Arg("id", () => Int, { description: "The job to follow." }) _id: number): JobRecord {
    return job;
  }

  @Authorized("CURATOR")
  @Subscription(() => Job, {
    description: "Every top-level job as it changes (created, progress, finished), from any worker process. Never ends.",
    subscribe: guarded(({ args, context }: Data<{ kind?: JobKind | null; catchUp?: number[] | null }>) => {
      const ids = args.catchUp ?? [];
      const keep = (job: JobRecord) => job.parentId === null && (!args.kind || job.kind === args.kind);
      return follow<JobRecord>(
        context,
        (watcher, push) => watcher.onJob((job) => keep(job) && push(job)),
        async () => (ids.length ? (await readRecords(context.db, ids)).filter(keep) : []),
      );
    }),
  })
  jobUpdates(
    @Root() job: JobRecord,
    @Arg("kind", () => JobKind, { nullable: true, description: "Only jobs of this kind." }) _kind: JobKind | null,
    @Arg("catchUp", () => [Int], {
      nullable: true,
      description:
        "Jobs whose current state to send first: those a client shows as in flight from an earlier read, so that a change between that read and this subscription is not missed.",
    })
    _catchUp: number[] | null,
  ): JobRecord {
    return job;
  }

  @Authorized("CURATOR")
  @Subscription(() => Job, {
    description: "Weekly generation runs as they change: done/total is the sum over the run's listener-range shards. Never ends.",
    subscribe: guarded(({ context }: Data<object>) =>
      follow<JobRecord>(context, (watcher, push) => watcher.onJob((job) => job.parentId === null && job.kind === "GENERATE" && push(job))),
    ),
  })
  weeklyGenerationProgress(@Root() job: JobRecord): JobRecord {
    return job;
  }

  @Authorized("CURATOR")
  @Subscription(() => ModelActivation, {
    description: "A model kind's active version changes (from this API, the CLI or a training run). Never ends.",
    subscribe: guarded(({ args, context }: Data<{ kind?: ModelKind | null }>) =>
      follow<Activation>(context, (watcher, push) => watcher.onActivation((a) => (!args.kind || a.kind === args.kind) && push(a))),
    ),
  })
  modelActivated(
    @Root() activation: Activation,
    @Arg("kind", () => ModelKind, { nullable: true, description: "Only this model kind." }) _kind: ModelKind | null,
  ): Activation {
    return activation;
  }
}

/**
 * A subscription's stream: listens first, waits for the watcher's baseline, then reads the
 * state to send at once (`current`), so a change in between is sent (perhaps twice), never
 * lost. A value equal to the last one sent is not sent again.
 */
async function follow<T>(
  context: ApiContext,
  listen: (watcher: ChangeWatcher, push: (value: T) => void) => () => void,
  current: () => Promise<T[]> = async () => [],
  options: { until?: (value: T) => boolean } = {},
): Promise<AsyncIterableIterator<T>> {
  const watcher = watcherFor(context.db);
  const early: T[] = [];
  const stopEarly = listen(watcher, (value) => early.push(value));
  try {
    await watcher.ready();
    const initial: T[] = [];
    const sent = new Set<string>();
    for (const value of [...(await current()), ...early]) {
      const key = JSON.stringify(value);
      if (!sent.has(key)) initial.push(value);
      sent.add(key);
    }
    // Only the values sent at once are remembered (the watcher never repeats a state itself).
    const fresh = (value: T) => sent.size === 0 || !sent.delete(JSON.stringify(value));
    return watchStream<T>((push) => listen(watcher, (value) => fresh(value) && push(value)), { initial, until: options.until });
  } finally {
    stopEarly();
  }
}
