// A cell's header status as the notebook view shows it: documented or not, the badge, the messages
// (the same ones `labtrail lint` prints) and the line the marker goes on.
import { cellHeaderStatus, HEADER_TEMPLATE, lintCellSource } from "../../kernel/src/core";

describe("cellHeaderStatus", () => {
  it("a cell without a header needs Tested, and Found too once it has run", () => {
    expect(cellHeaderStatus("run()", { hasRun: false })).toEqual({
      documented: false,
      missing: ["tested"],
      empty: [],
      badge: "needs Tested",
      message: 'missing Tested: add "// Tested: <what this cell tries>" at the top of the cell',
      line: 1,
    });
    const ran = cellHeaderStatus("run()", { hasRun: true });
    expect(ran.missing).toEqual(["tested", "found"]);
    expect(ran.badge).toBe("needs Tested, Found");
    expect(ran.message).toBe(
      'missing Tested: add "// Tested: <what this cell tries>" at the top of the cell; ' +
        'missing Found: the cell has run; add "// Found: <what the run showed>" to its header',
    );
  });

  it("Tested present, not run: documented, with an empty badge and message", () => {
    expect(cellHeaderStatus("// Tested: caching halves latency\nrun()", { hasRun: false })).toEqual({
      documented: true,
      missing: [],
      empty: [],
      badge: "",
      message: "",
      line: 1,
    });
  });

  it("run with an empty Found: the marker goes on Found's line", () => {
    const status = cellHeaderStatus("\n// Tested: caching halves latency\n// Found:\nrun()", { hasRun: true });
    expect(status).toEqual({
      documented: false,
      missing: [],
      empty: ["found"],
      badge: "Found empty",
      message: "Found is empty, but the cell has run: write what the run showed",
      line: 3,
    });
  });

  it("a missing and an empty key together", () => {
    const status = cellHeaderStatus("// Found:\nrun()", { hasRun: true });
    expect(status.missing).toEqual(["tested"]);
    expect(status.empty).toEqual(["found"]);
    expect(status.badge).toBe("needs Tested · Found empty");
    expect(status.message.split("; ")).toHaveLength(2);
    expect(status.line).toBe(1);
  });

  it("the template's placeholders count as empty", () => {
    const status = cellHeaderStatus(`${HEADER_TEMPLATE}run()`, { hasRun: true });
    expect(status.documented).toBe(false);
    expect(status.missing).toEqual([]);
    expect(status.empty).toEqual(["tested", "found"]);
    expect(status.badge).toBe("Tested, Found empty");
    expect(status.message).toBe(
      'Tested still holds the template placeholder "<what this cell tries>"; Found still holds the template placeholder "<what the run showed>"',
    );
  });

  it.each([
    ["JSDoc", "/**\n * @module labels\n * @tested few-shot beats zero-shot\n * @found 9/10 vs 6/10\n */\nrun()"],
    ["directive", '//| tested: few-shot beats zero-shot\n//| found: "9/10 vs 6/10"\nrun()'],
  ])("reads the %s form", (_form, source) => {
    expect(cellHeaderStatus(source, { hasRun: true }).documented).toBe(true);
    const withoutFound = source
      .split("\n")
      .filter((line) => !/found/.test(line))
      .join("\n");
    expect(cellHeaderStatus(withoutFound, { hasRun: true })).toMatchObject({ documented: false, missing: ["found"], badge: "needs Found" });
  });

  it("uses the project's required keys, after-run ones only once the cell has run", () => {
    const source = "// Tested: t\n// Found: f\nrun()";
    const required = ["tested", "found", "decision"] as const;
    expect(cellHeaderStatus(source, { hasRun: false, required }).documented).toBe(true);
    expect(cellHeaderStatus(source, { hasRun: true, required })).toMatchObject({
      documented: false,
      missing: ["decision"],
      badge: "needs Decision",
    });
    expect(cellHeaderStatus(source, { hasRun: true }).documented).toBe(true);
    expect(cellHeaderStatus("run()", { hasRun: true, required: [] }).documented).toBe(true);
  });

  it("a cell with nothing but comments is documented (it is not an experiment)", () => {
    expect(cellHeaderStatus("// a note about the next cells\n", { hasRun: true })).toMatchObject({
      documented: true,
      badge: "",
      message: "",
      line: 1,
    });
    expect(cellHeaderStatus("", { hasRun: false }).documented).toBe(true);
  });

  it("grammar problems do not make a cell undocumented; lint still reports them", () => {
    const source = "// Tested: t\n// Fuond: f\n// Tested: again\nrun()";
    expect(lintCellSource(source, { hasRun: false }).problems.map((p) => p.code)).toEqual(["unknown-key", "duplicate-key"]);
    expect(cellHeaderStatus(source, { hasRun: false })).toMatchObject({ documented: true, badge: "", message: "" });
    // After a run the misspelt Found leaves Found missing, and that does count.
    expect(cellHeaderStatus(source, { hasRun: true })).toMatchObject({ documented: false, missing: ["found"] });
  });

  it("a header key written below the code: the marker goes where the key is, with the fix", () => {
    const status = cellHeaderStatus("run()\n// Tested: too late", { hasRun: false });
    expect(status.line).toBe(2);
    expect(status.message).toBe(
      'missing Tested: the header must be at the very top of the cell; move "Tested:" from line 2 above the code at line 1',
    );
  });

  it("carries the header's text as plain text, markup included", () => {
    const status = cellHeaderStatus("// Tested: <script>alert(1)</script> & more\n// Found: <script>\nrun()", { hasRun: true });
    expect(status.empty).toEqual(["found"]);
    expect(status.message).toBe('Found still holds the template placeholder "<script>"');
    expect(status.message).not.toMatch(/&lt;|&amp;|&quot;/);
  });
});
