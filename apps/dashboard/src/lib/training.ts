import type { TrainableModel } from "./generated/graphql.ts";

/**
 * Every model the API's startTraining takes (its TrainableModel enum, made from the engine's
 * TRAINABLE list), in training order, by the name `deepcuts train --model` gives it. Keyed by
 * the generated enum, so a model the API gains is a type error here until it is listed.
 * Ticked by default: what `npm start` trains, less co-mention (a training job with it fails
 * until crawled articles mention catalogue artists, where `npm start` skips it) and audio
 * (it needs the clips analysed).
 */
export const TRAINABLE_MODELS = {
  POPULARITY: { name: "popularity", ticked: true },
  ALS: { name: "als", ticked: true },
  LMF: { name: "lmf", ticked: false },
  TEXT: { name: "text", ticked: true },
  CO_MENTION: { name: "co-mention", ticked: false },
  AUDIO: { name: "audio", ticked: false },
} as const satisfies Record<TrainableModel, { name: string; ticked: boolean }>;

const BY_NAME = new Map(Object.entries(TRAINABLE_MODELS).map(([model, { name }]) => [name as string, model as TrainableModel]));

/**
 * The models ticked on the training form (`model` fields, named as `deepcuts train` names them)
 * as the API's enum values; a RangeError for none ticked or a name the API does not take.
 */
export function modelsToTrain(form: FormData): TrainableModel[] {
  const names = form.getAll("model").map(String);
  if (names.length === 0) throw new RangeError("tick at least one model to train");
  return names.map((name) => {
    const model = BY_NAME.get(name);
    if (!model) throw new RangeError(`model must be one of ${[...BY_NAME.keys()].join(", ")}, got '${name}'`);
    return model;
  });
}
