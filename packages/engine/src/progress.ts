/** How long work reports where it is: a message, and `done` of `total` units (a job's progress bar, the CLI's). */
export type Progress = (message: string, done: number, total: number) => void;
