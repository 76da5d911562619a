/**
 * What labtrail reads back from an MLflow tracking server's REST API (`/api/2.0/mlflow/…`), validated
 * with zod: only the fields push needs, passthrough for the rest (a newer server adds fields).
 */
import { z } from "zod";

export const mlflowKeyValueSchema = z.object({ key: z.string(), value: z.string() });
export type MlflowKeyValue = z.output<typeof mlflowKeyValueSchema>;

export const mlflowMetricSchema = z.object({
  key: z.string(),
  value: z.number(),
  timestamp: z.coerce.number(),
  step: z.coerce.number().default(0),
});
export type MlflowMetric = z.output<typeof mlflowMetricSchema>;

/** MLflow's error body: `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "…"}`. */
export const mlflowErrorBodySchema = z.object({ error_code: z.string(), message: z.string().default("") });

export const mlflowExperimentSchema = z.object({
  experiment_id: z.string(),
  name: z.string(),
  /** "active" or "deleted": get-by-name finds deleted experiments too, and their name stays taken. */
  lifecycle_stage: z.string(),
});
export type MlflowExperiment = z.output<typeof mlflowExperimentSchema>;

export const getExperimentResponseSchema = z.object({ experiment: mlflowExperimentSchema });
export const createExperimentResponseSchema = z.object({ experiment_id: z.string() });

/** The run statuses of MLflow; a run push leaves RUNNING was interrupted before it was finished. */
export const MLFLOW_RUN_STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"] as const;

export const mlflowRunSchema = z.object({
  info: z.object({
    run_id: z.string(),
    experiment_id: z.string(),
    status: z.enum(MLFLOW_RUN_STATUSES),
    artifact_uri: z.string().optional(),
    start_time: z.coerce.number().optional(),
    end_time: z.coerce.number().optional(),
  }),
  data: z
    .object({
      metrics: z.array(mlflowMetricSchema).default(() => []),
      params: z.array(mlflowKeyValueSchema).default(() => []),
      tags: z.array(mlflowKeyValueSchema).default(() => []),
    })
    .prefault({}),
});
export type MlflowRun = z.output<typeof mlflowRunSchema>;

export const runResponseSchema = z.object({ run: mlflowRunSchema });
export const searchRunsResponseSchema = z.object({
  runs: z.array(mlflowRunSchema).default(() => []),
  next_page_token: z.string().optional(),
});

export const listArtifactsResponseSchema = z.object({
  root_uri: z.string().optional(),
  files: z.array(z.object({ path: z.string(), is_dir: z.boolean(), file_size: z.coerce.number().optional() })).default(() => []),
});

/** The value of a run's tag, or undefined. */
export function tagOf(run: MlflowRun, key: string): string | undefined {
  return run.data.tags.find((tag) => tag.key === key)?.value;
}
