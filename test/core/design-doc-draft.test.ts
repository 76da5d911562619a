// The draft as a file a person keeps: composed from notebook and records, stamped with a fingerprint
// of its text, and told apart (untouched since an export, or edited) when an export comes again.
import { readFileSync } from "node:fs";
import { buildEvidence, codeHash, composeDraft, draftFileName, draftFileState, renderDesignDoc, stampDraft } from "../../kernel/src/core";
import { fnv1a64 } from "../../kernel/src/core/design-doc/fingerprint";
import { loadNotebook, notebook } from "../fixtures";
import { modelCall, runRecord } from "../support/run-records";

const summaries = loadNotebook(readFileSync(notebook("summaries.ipynb"), "utf8"));
const STAMP = /^<!-- labtrail export fingerprint: ([0-9a-f]{16}) — edit freely: labtrail export will not overwrite an edited draft -->$/;

/** FNV-1a 64 the slow, obvious way (BigInt over TextEncoder's bytes): the oracle for the fast one. */
function referenceFnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, "0");
}

describe("fnv1a64", () => {
  it("gives the published FNV-1a 64 test vectors", () => {
    expect(fnv1a64("")).toBe("cbf29ce484222325");
    expect(fnv1a64("a")).toBe("af63dc4c8601ec8c");
    expect(fnv1a64("foobar")).toBe("85944171f73967e8");
  });

  it("hashes the UTF-8 bytes, as TextEncoder encodes them (astral and lone surrogates included)", () => {
    const samples = ["héllo — ✓", "emoji 😀 and 𝔘", "lone \ud800 high", "lone \udc00 low", "end \ud83d", "x".repeat(5000)];
    // Deterministic pseudo-random strings over the whole UTF-16 range.
    let seed = 42;
    for (let n = 0; n < 100; n++) {
      let text = "";
      for (let i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        text += String.fromCharCode(seed % 0x10000);
      }
      samples.push(text);
    }
    for (const text of samples) expect([text, fnv1a64(text)]).toEqual([text, referenceFnv1a64(text)]);
  });
});

describe("stampDraft", () => {
  const body = renderDesignDoc(summaries, { notebookName: "summaries.ipynb" });

  it("appends one stamp line after a blank line, fingerprinting the body", () => {
    const stamped = stampDraft(body);
    expect(stamped.startsWith(body)).toBe(true);
    const rest = stamped.slice(body.length).split("\n");
    expect(rest).toHaveLength(3);
    expect(rest[0]).toBe("");
    expect(rest[2]).toBe("");
    const match = STAMP.exec(rest[1]);
    expect(match).not.toBeNull();
    expect(match![1]).toBe(fnv1a64(body.trimEnd()));
  });

  it("is deterministic, idempotent, and the fingerprint follows the body", () => {
    expect(stampDraft(body)).toBe(stampDraft(body));
    expect(stampDraft(stampDraft(body))).toBe(stampDraft(body));
    const other = stampDraft(body.replace("Commit-message", "Commit message"));
    expect(STAMP.exec(other.trimEnd().split("\n").pop()!)![1]).not.toBe(STAMP.exec(stampDraft(body).trimEnd().split("\n").pop()!)![1]);
  });
});

describe("draftFileState", () => {
  const fresh = stampDraft("# Draft\n\nThe body.\n");
  const older = stampDraft("# Draft\n\nAn older body.\n");

  it("up-to-date: the file is the fresh draft, byte for byte", () => {
    expect(draftFileState(fresh, fresh)).toBe("up-to-date");
  });

  it("exported: an untouched earlier export, safe to refresh", () => {
    expect(draftFileState(older, fresh)).toBe("exported");
  });

  it("exported still after an editor converted line endings or trailing whitespace", () => {
    expect(draftFileState(older.replace(/\n/g, "\r\n"), fresh)).toBe("exported");
    expect(draftFileState(older.trimEnd(), fresh)).toBe("exported");
    expect(draftFileState(`${older}\n\n`, fresh)).toBe("exported");
    expect(draftFileState(older.replace("# Draft", "# Draft   "), fresh)).toBe("exported");
    expect(draftFileState(`\uFEFF${older}`, fresh)).toBe("exported");
  });

  it("edited: the body changed, text follows the stamp, or the stamp was changed", () => {
    expect(draftFileState(older.replace("older", "edited"), fresh)).toBe("edited");
    expect(draftFileState(older.replace("An older body.", "An older body.\n\nMy notes."), fresh)).toBe("edited");
    expect(draftFileState(`${older}\nMy notes after the stamp.\n`, fresh)).toBe("edited");
    const fingerprint = STAMP.exec(older.trimEnd().split("\n").pop()!)![1];
    expect(draftFileState(older.replace(fingerprint, "0123456789abcdef"), fresh)).toBe("edited");
  });

  it("edited: a draft without a stamp (written before stamps, or by hand)", () => {
    expect(draftFileState("# Draft\n\nAn older body.\n", fresh)).toBe("edited");
    expect(draftFileState("", fresh)).toBe("edited");
  });

  it("a stamp quoted inside the body is not the stamp", () => {
    const quoted = stampDraft(`# Draft\n\n${older.trimEnd().split("\n").pop()}\n\nMore text.\n`);
    expect(draftFileState(quoted, fresh)).toBe("exported");
    expect(draftFileState(quoted.replace("More text.", "Edited text."), fresh)).toBe("edited");
  });
});

describe("composeDraft", () => {
  it("is the stamped rendering, without evidence when there are no records", () => {
    const draft = composeDraft({ notebook: summaries, notebookName: "summaries.ipynb", notebookHref: "../summaries.ipynb" });
    expect(draft).toBe(stampDraft(renderDesignDoc(summaries, { notebookName: "summaries.ipynb", notebookHref: "../summaries.ipynb" })));
    expect(composeDraft({ notebook: summaries, notebookName: "summaries.ipynb", notebookHref: "../summaries.ipynb", records: [] })).toBe(
      draft,
    );
    expect(draft).toContain("No run records for this notebook yet");
  });

  it("fills the evidence from the records, finding stand-in cells through the code hash", () => {
    const fewShot = summaries.cells.find((cell) => cell.id === "few-shot")!;
    const records = [
      runRecord({
        cell: `#4@${codeHash(fewShot.source).slice(0, 12)}`,
        values: { useful: 0.9 },
        calls: [modelCall({ inputTokens: 1140, outputTokens: 64 })],
      }),
    ];
    const draft = composeDraft({ notebook: summaries, notebookName: "summaries.ipynb", records, codeHash });
    const evidence = buildEvidence(summaries, records, { notebookFileName: "summaries.ipynb", codeHash });
    expect(evidence?.cells.map((cell) => cell.cellId)).toEqual(["few-shot"]);
    expect(draft).toBe(stampDraft(renderDesignDoc(summaries, { notebookName: "summaries.ipynb", evidence })));
    expect(draft).toContain("| 3 | gpt-4o-mini | 1 | 1,140 / 64 | 0/1 | useful=0.9 |");
    // Without the hash the stand-in finds no cell.
    expect(composeDraft({ notebook: summaries, notebookName: "summaries.ipynb", records })).not.toContain("useful=0.9");
  });
});

test("draftFileName fills {name} and refuses folders or the notebook itself", () => {
  expect(draftFileName("{name}.design.md", "summaries.ipynb")).toBe("summaries.design.md");
  expect(draftFileName("DESIGN-{name}.md", "a.b.ipynb")).toBe("DESIGN-a.b.md");
  expect(() => draftFileName("docs/{name}.md", "a.ipynb")).toThrow(/no folders/);
  expect(() => draftFileName("{name}.ipynb", "a.ipynb")).toThrow(/overwrite the notebook/);
  expect(() => draftFileName("  ", "a.ipynb")).toThrow(/must be a file name/);
});
