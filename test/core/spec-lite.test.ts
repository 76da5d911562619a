// The spec-lite: title, Problem, User, Metric and Time box from the first Markdown cell.
import { readFileSync } from "node:fs";
import { findSpecLite, parseNotebook, parseSpecLite, type SpecKey } from "../../kernel/src/core";
import { notebook } from "../fixtures";

type Expected = { title?: string } & Partial<Record<SpecKey, string>>;

function values(markdown: string): Expected {
  const spec = parseSpecLite(markdown);
  const out: Expected = {};
  if (spec.title) out.title = spec.title.value;
  for (const [key, field] of Object.entries(spec.fields)) out[key as SpecKey] = field!.value;
  return out;
}

describe("parseSpecLite", () => {
  it.each<[string, string, Expected]>([
    [
      "plain lines",
      "# Commit-message summaries\nProblem: reviewers skim 40 PRs a day\nUser: reviewers\nMetric: ≥ 9/10 useful\nTime box: 2 days",
      {
        title: "Commit-message summaries",
        problem: "reviewers skim 40 PRs a day",
        user: "reviewers",
        metric: "≥ 9/10 useful",
        timeBox: "2 days",
      },
    ],
    [
      "a list with bold keys, any case, other spellings",
      "# T #\n\n- **Problem:** p\n- **users**: u\n* __Success metric:__ m\n- timebox: 1 week",
      { title: "T", problem: "p", user: "u", metric: "m", timeBox: "1 week" },
    ],
    [
      "a value continued on the next line, ended by a blank line or a list item",
      "Problem: reviewers skim\n40 PRs a day  \n\nnot part of it\nUser: a\n- b",
      { problem: "reviewers skim 40 PRs a day", user: "a" },
    ],
    ["a setext title", "Summaries\n=========\nProblem: p", { title: "Summaries", problem: "p" }],
    ["keys inside a code fence are not read", "# T\n```\nProblem: no\n```\nUser: yes", { title: "T", user: "yes" }],
    ["only the first of each key counts", "Problem: first\nProblem: second", { problem: "first" }],
    ["no spec at all", "Some notes about the data.", {}],
  ])("%s", (_name, markdown, expected) => {
    expect(values(markdown)).toEqual(expected);
  });

  it("gives positions inside the cell", () => {
    const spec = parseSpecLite("# Title\n\n- **User:** reviewers");
    expect(spec.title!.start).toEqual({ line: 1, column: 3, offset: 2 });
    expect(spec.fields.user!.start).toEqual({ line: 3, column: 13, offset: 21 });
    expect(spec.fields.user!.end).toEqual({ line: 3, column: 22, offset: 30 });
  });
});

describe("findSpecLite", () => {
  it("reads the notebook's first Markdown cell", () => {
    const result = parseNotebook(readFileSync(notebook("summaries.ipynb"), "utf8"));
    if (!result.ok) throw new Error(result.problem);
    const spec = findSpecLite(result.notebook)!;
    expect(spec.cellIndex).toBe(0);
    expect(spec.title!.value).toBe("Commit-message summaries");
    expect(spec.fields.timeBox!.value).toBe("2 days");
  });

  it("is null without a Markdown cell", () => {
    const result = parseNotebook('{"nbformat": 4, "cells": [{"cell_type": "code", "source": "x"}]}');
    if (!result.ok) throw new Error(result.problem);
    expect(findSpecLite(result.notebook)).toBeNull();
  });
});
