/** A background job as the Training page shows it (the API's Job type, less params and result). */
export interface JobRow {
  id: number;
  kind: string;
  status: string;
  done: number;
  total: number;
  message: string;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export const JOB_FIELDS = "id kind status done total message error createdAt finishedAt";
