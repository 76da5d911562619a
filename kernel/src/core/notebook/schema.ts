/**
 * nbformat 4.x, validated with zod at the boundary and normalised into the typed `Notebook` the rest of
 * labtrail reads: sources and multi-line output strings joined into one string, ids kept when present,
 * missing optional parts defaulted. The schema is lenient where Jupyter itself is (unknown metadata,
 * extra keys) and strict on what labtrail reads (cell types, sources, outputs).
 */

import { z } from "zod";

/** nbformat's "multiline string": one string, or a list of lines that join into one. */
const multiline = z
  .union([z.string(), z.array(z.string())], { error: "expected a string or a list of strings" })
  .transform((value) => (typeof value === "string" ? value : value.join("")));

const jsonObject = z.record(z.string(), z.unknown(), { error: "expected an object" });

/** A MIME bundle: text-like types are multiline strings, JSON types are any JSON value. */
const mimeBundle = z.record(z.string(), z.unknown(), { error: "expected an object of MIME types" }).transform((bundle) => {
  const out: Record<string, unknown> = {};
  for (const [type, value] of Object.entries(bundle)) {
    out[type] = Array.isArray(value) && value.every((item) => typeof item === "string") && !type.endsWith("json") ? value.join("") : value;
  }
  return out;
});

const executionCount = z.number({ error: "expected a number or null" }).int().nullable();

const streamOutput = z.looseObject({
  output_type: z.literal("stream"),
  name: z.string({ error: 'expected "stdout" or "stderr"' }),
  text: multiline,
});

const displayDataOutput = z.looseObject({
  output_type: z.literal("display_data"),
  data: mimeBundle,
  metadata: jsonObject.default({}),
});

const executeResultOutput = z.looseObject({
  output_type: z.literal("execute_result"),
  execution_count: executionCount.default(null),
  data: mimeBundle,
  metadata: jsonObject.default({}),
});

const errorOutput = z.looseObject({
  output_type: z.literal("error"),
  ename: z.string(),
  evalue: z.string(),
  traceback: z.array(z.string()).default([]),
});

const output = z.discriminatedUnion("output_type", [streamOutput, displayDataOutput, executeResultOutput, errorOutput], {
  error: 'expected an output with output_type "stream", "display_data", "execute_result" or "error"',
});

const cellId = z.string({ error: "expected a string" }).optional();

const attachments = z.record(z.string(), mimeBundle, { error: "expected an object of attachments" }).optional();

const codeCell = z.looseObject({
  cell_type: z.literal("code"),
  id: cellId,
  metadata: jsonObject.default({}),
  source: multiline,
  outputs: z.array(output, { error: "expected a list of outputs" }).default([]),
  execution_count: executionCount.default(null),
});

const markdownCell = z.looseObject({
  cell_type: z.literal("markdown"),
  id: cellId,
  metadata: jsonObject.default({}),
  source: multiline,
  attachments,
});

const rawCell = z.looseObject({
  cell_type: z.literal("raw"),
  id: cellId,
  metadata: jsonObject.default({}),
  source: multiline,
  attachments,
});

const cell = z.discriminatedUnion("cell_type", [codeCell, markdownCell, rawCell], {
  error: 'expected a cell with cell_type "code", "markdown" or "raw"',
});

export const notebookSchema = z.looseObject({
  nbformat: z.literal(4, { error: "expected 4" }),
  nbformat_minor: z.number({ error: "expected a number" }).int().default(0),
  metadata: jsonObject.default({}),
  cells: z.array(cell, { error: "expected a list of cells" }),
});

export type NotebookOutput = z.output<typeof output>;
export type RawNotebook = z.output<typeof notebookSchema>;

interface CellBase {
  /** 0-based position in the notebook. */
  index: number;
  /** nbformat ≥ 4.5 cell id; null in older notebooks. */
  id: string | null;
  /** The source as one string. */
  source: string;
  metadata: Record<string, unknown>;
}

export interface CodeCell extends CellBase {
  cellType: "code";
  executionCount: number | null;
  outputs: NotebookOutput[];
}

export interface MarkdownCell extends CellBase {
  cellType: "markdown";
  attachments: Record<string, Record<string, unknown>> | null;
}

export interface RawCell extends CellBase {
  cellType: "raw";
  attachments: Record<string, Record<string, unknown>> | null;
}

export type NotebookCell = CodeCell | MarkdownCell | RawCell;

export interface Notebook {
  nbformat: 4;
  nbformatMinor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

/** The typed notebook from schema-validated JSON. */
export function toNotebook(raw: RawNotebook): Notebook {
  return {
    nbformat: 4,
    nbformatMinor: raw.nbformat_minor,
    metadata: raw.metadata,
    cells: raw.cells.map((cell, index): NotebookCell => {
      const base = { index, id: cell.id ?? null, source: cell.source, metadata: cell.metadata };
      if (cell.cell_type === "code") {
        return { ...base, cellType: "code", executionCount: cell.execution_count, outputs: cell.outputs };
      }
      return { ...base, cellType: cell.cell_type, attachments: cell.attachments ?? null };
    }),
  };
}

/** A code cell has run when it has an execution count or outputs. */
export function hasRun(cell: CodeCell): boolean {
  return cell.executionCount !== null || cell.outputs.length > 0;
}
