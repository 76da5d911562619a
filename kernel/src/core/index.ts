/**
 * labtrail's shared core: the header contract, notebook reading, lint, the design-doc renderer, the
 * code hash and the schemas of what crosses a boundary (kernel_info, execute_reply and cell metadata,
 * records).
 * Pure and browser-safe (no Node built-ins, no file system, no process): the kernel, the CLI and the
 * JupyterLab extension all import this one implementation.
 */

export type { Position } from "./text";

export {
  DEFAULT_REQUIRED_KEYS,
  HEADER_KEY_LABELS,
  HEADER_KEY_PHASE,
  HEADER_KEYS,
  HEADER_VERDICTS,
  headerKeySchema,
  listHeaderKeys,
  resolveHeaderKey,
} from "./header/keys";
export type { HeaderKey, HeaderVerdict } from "./header/keys";

export { parseHeader } from "./header/grammar";
export type { HeaderField, HeaderForm, HeaderProblem, HeaderProblemCode, ParsedHeader } from "./header/grammar";

export { checkHeader, filledValue, gateCell, HEADER_MODES, isFilled, lintCellSource } from "./header/check";
export type { CheckOptions, GateDecision, HeaderMode } from "./header/check";

export { formatHeader, HEADER_PLACEHOLDERS, HEADER_TEMPLATE, isPlaceholder } from "./header/template";
export { codeBody } from "./header/code-body";
export { cellMagicName, MAGIC_NAME_PATTERN } from "./header/cell-magic";
export { cellHeaderStatus } from "./header/status";
export type { CellHeaderStatus } from "./header/status";
export { insertHeader } from "./header/insert";
export type { HeaderInsertion, InsertOptions } from "./header/insert";

export { decodeNotebookBytes, parseNotebook, readNotebookBytes } from "./notebook/read";
export type { NotebookResult, TextResult } from "./notebook/read";
export { hasRun, notebookSchema } from "./notebook/schema";
export { CELL_NUMBERING, cellNumber } from "./notebook/cell-number";
export type { CodeCell, MarkdownCell, Notebook, NotebookCell, NotebookOutput, RawCell } from "./notebook/schema";
export { parseJsonText } from "./notebook/json";
export type { JsonResult } from "./notebook/json";

export { findSpecLite, parseSpecLite, SPEC_KEYS, SPEC_LABELS } from "./spec-lite";
export type { SpecField, SpecKey, SpecLite } from "./spec-lite";

export { formatProblem, lintNotebook } from "./lint";
export type { LintOptions, LintResult, LintRuns, NotebookProblem, NotebookProblemCode } from "./lint";

export { buildDesignDocModel } from "./design-doc/model";
export type { CellRef, DesignDocModel, Experiment } from "./design-doc/model";
export { renderDesignDoc, renderModel } from "./design-doc/render";
export type { RenderOptions } from "./design-doc/render";
export type { CellEvidence, DesignDocEvidence, EvaluationEvidence, ModelUsage } from "./design-doc/evidence";
export { composeDraft, DEFAULT_DRAFT_FILE_NAME, draftFileName, draftFileState, stampDraft } from "./design-doc/draft";
export type { DraftFileState, DraftInput } from "./design-doc/draft";

export {
  ANSWER_KEPT_CHARS,
  changeSchema,
  modelCallRecordSchema,
  RECORD_VERSION,
  RECORDINGS_FOLDER,
  recordsFolderName,
  RERUN_VERDICTS,
  rerunVerdictSchema,
  RUNS_FILE,
  runRecordSchema,
} from "./records/schema";
export type { Change, ModelCallRecord, RerunVerdict, RerunVerdictKind, RunRecord } from "./records/schema";
export { codeHash, sha256Hex } from "./records/code-hash";
export { latestByCell, parseRunsJsonl, parseRunsLines, scanRunsLines } from "./records/jsonl";
export type { OverlongLine, RunsFile, RunsLine } from "./records/jsonl";
export { DEFAULT_TOLERANCE, judgeRun } from "./records/verdict";
export { wordDiff } from "./records/word-diff";
export type { VerdictOptions } from "./records/verdict";
export { canonicalJson } from "./records/canonical-json";
export { buildEvidence, cellLocator, evaluationEvidence, metricsOf, modelUsage, runsByCell, withoutEvaluations } from "./records/evidence";
export type { EvidenceOptions, LocateOptions, NumberedRun } from "./records/evidence";
export { findStaleFound } from "./records/stale-found";
export type { StaleFound, StaleFoundOptions, StaleFoundReason } from "./records/stale-found";
export { REPLAY_MODES } from "./records/replay-modes";
export type { ReplayMode } from "./records/replay-modes";

export { buildLogCells, formatMetric, logRun } from "./experiment-log/cells";
export { evaluationView, logEvaluations } from "./experiment-log/evaluations";
export type { LogEvaluation, LogEvaluationResults } from "./experiment-log/evaluations";
export { formatDuration } from "./duration";
export type { CallsSource, LogCell, LogRun } from "./experiment-log/cells";
export {
  buildRecordingRows,
  describeRecording,
  formatBytes,
  recordingFileName,
  REQUEST_SUMMARY_CHARS,
} from "./experiment-log/recordings";
export type { RecordingFile, RecordingRow } from "./experiment-log/recordings";
export { metricSeries, metricsChartSpec, VEGALITE_MIME } from "./experiment-log/metrics";
export { COMPARE_TEXT_CHARS, compareRuns, diffParts } from "./experiment-log/compare";
export type { AnswerChange, DiffPart, RunComparison, TextChange, ValueChange } from "./experiment-log/compare";
export type { ChartLabels, MetricPoint } from "./experiment-log/metrics";

export { LABTRAIL_KERNEL_INFO_KEY, labtrailKernelInfoSchema } from "./kernel-info";
export type { LabtrailKernelInfo } from "./kernel-info";
export { LABTRAIL_REPLY_METADATA_KEY, labtrailReplyMetadata, labtrailReplyMetadataSchema } from "./reply-metadata";
export type { LabtrailReplyMetadata } from "./reply-metadata";
export {
  LABTRAIL_REQUEST_METADATA_KEY,
  labtrailRequestMetadata,
  labtrailRequestMetadataSchema,
  notebookPathProblem,
} from "./request-metadata";
export type { LabtrailRequestMetadata, RequestMetadataResult } from "./request-metadata";
export {
  CELL_CHANGES_KEPT,
  CELL_DIFF_CHARS,
  CELL_METADATA_KEY,
  CELL_VALUE_CHARS,
  cellVerdictSchema,
  foundConfirmationSchema,
  parseCellVerdict,
  parseFoundConfirmation,
  toCellVerdict,
  withCellVerdict,
  withFoundConfirmation,
} from "./cell-metadata";
export type { CellVerdict, FoundConfirmation } from "./cell-metadata";

export { configuredRedactor, envRedactor, REDACTED, Redactor, stripUrlCredentials, urlCredentials } from "./redact";
export type { SecretSources } from "./redact";

export {
  callItemSchema,
  EVALUATION_ITEMS_KEPT,
  EVALUATION_OUTPUT_KEPT,
  evaluationItemRecordSchema,
  evaluationRecordSchema,
  SUMMARY_FIELDS,
} from "./evaluation/schema";
export type { CallItem, EvaluationItemRecord, EvaluationRecord } from "./evaluation/schema";
export {
  comparisonChart,
  escapeHtml,
  renderComparison,
  renderComparisonChart,
  renderProgress,
  renderResults,
  summaryLine,
  TABLE_ROWS,
} from "./evaluation/render";
export type { Bundle, EvaluationView, ItemView, ProgressView } from "./evaluation/render";

export {
  chunkRunData,
  clipValue,
  LOG_BATCH_LIMITS,
  MAX_KEY_LENGTH,
  MAX_PARAM_VALUE_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  mlflowKey,
} from "./mlflow/batch";
export type { RunData } from "./mlflow/batch";
export {
  cellMetrics,
  experimentNameFor,
  experimentUrl,
  groupNotebookRuns,
  notebookRunsFilter,
  planCellRun,
  planNotebookRun,
  PUSH_TAGS,
  recordId,
} from "./mlflow/mapping";
export type {
  CellRunContext,
  CellRunEntry,
  NotebookRunContext,
  NotebookRunGroup,
  PlannedArtifact,
  PlannedRun,
  PushedRunKind,
} from "./mlflow/mapping";
export {
  createExperimentResponseSchema,
  getExperimentResponseSchema,
  listArtifactsResponseSchema,
  MLFLOW_RUN_STATUSES,
  mlflowErrorBodySchema,
  mlflowExperimentSchema,
  mlflowKeyValueSchema,
  mlflowMetricSchema,
  mlflowRunSchema,
  runResponseSchema,
  searchRunsResponseSchema,
  tagOf,
} from "./mlflow/schema";
export type { MlflowExperiment, MlflowKeyValue, MlflowMetric, MlflowRun } from "./mlflow/schema";
export { planCellTrace } from "./mlflow/traces";
export type { CallContent, PlannedSpan, PlannedTrace, SpanAttributeValue, TraceOptions } from "./mlflow/traces";
