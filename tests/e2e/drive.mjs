// Drives the meetrag web app in Debian's headless Chromium through playwright-core,
// first on a desktop (1280 px wide), then on a phone (390 px).
//
// Usage: node drive.mjs  (configured by environment variables, set by test_browser.py)
//   MEETRAG_URL        base URL of a running `meetrag serve`
//   SHOT_DIR           where to write one PNG per tab and width (1280-1-chat.png, 390-1-chat.png, ...)
//   UPLOAD_FILE        a small meeting document to upload and then ask about
//   XSS_FILE           a document whose title and body contain <script>alert(1)</script>
//   BROKEN_FILE        a truncated PDF, refused with a reason
//   EVAL_FILE          a small JSONL question set to evaluate from the 评测 tab
//   CHROMIUM           browser binary (default /usr/bin/chromium)
// Prints one JSON line per finished step; exits 1 with the failing step's message.
// Every step ends by reading the page as a user sees it (visible text, tooltips and
// placeholders) and fails on three or more English words in a row: the app speaks Chinese.
// Loopback only: every browser network feature that would call out is disabled.
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const url = process.env.MEETRAG_URL;
const shots = process.env.SHOT_DIR;
const { UPLOAD_FILE: uploadFile, XSS_FILE: xssFile, BROKEN_FILE: brokenFile, EVAL_FILE: evalFile } = process.env;
const STEP_MS = 90_000;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
if (!url || !shots || !uploadFile || !xssFile || !brokenFile || !evalFile) {
  console.error("set MEETRAG_URL, SHOT_DIR, UPLOAD_FILE, XSS_FILE, BROKEN_FILE and EVAL_FILE");
  process.exit(2);
}
fs.mkdirSync(shots, { recursive: true });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "meetrag-chromium-"));
const SEED = "全市优秀基层党组织书记座谈会";
const SEED_ORIGINAL = "全市優秀基層黨組織書記座談會";

const log = (step, extra = {}) => console.log(JSON.stringify({ step, ok: true, ...extra }));
const dialogs = [];

// --- English in a Chinese UI: the same rule as ui/messages.py `untranslated` ------------------
// Names stay as they are; identifiers, paths and ids that mix letters and digits do not count.
const ALLOWED = new Set(("meetrag json jsonl word markdown langchain api llm pdf docx html htm txt md mb gb utf gbk "
  + "big5 gb18030 ocr ollama vllm chroma http https url id mrr hit p50 p95 ms").split(" "));
const IDENTIFIER = /\S*[_/\\@.:]\S*[A-Za-z0-9]|`[^`]*`|(?<![A-Za-z0-9])[A-Za-z0-9]*(?:[A-Za-z]\d|\d[A-Za-z])[A-Za-z0-9]*(?![A-Za-z0-9])/g;
const RUN = /[A-Za-z][A-Za-z'’]*(?:[\s\d,;:()"'!?%/.-]+[A-Za-z][A-Za-z'’]*){2,}/g;

function englishRuns(text) {
  const names = text.replace(IDENTIFIER, "").replace(/[A-Za-z][A-Za-z'’]*/g, (w) => (ALLOWED.has(w.toLowerCase()) ? "" : w));
  return (names.match(RUN) || []).map((r) => r.trim());
}

// What a user can read: the visible text, and the tooltips and placeholders of visible elements.
async function visibleText(page) {
  return page.evaluate(() => {
    const out = [document.body.innerText];
    for (const el of document.querySelectorAll("[title], [placeholder]")) {
      if (el.checkVisibility()) out.push(el.getAttribute("title") || "", el.getAttribute("placeholder") || "");
    }
    return out.join("\n");
  });
}

async function assertChinese(page, where) {
  const runs = englishRuns(await visibleText(page));
  if (runs.length) throw new Error(`${where}: English in the Chinese UI: ${JSON.stringify(runs.slice(0, 5))}`);
}

function assertChineseText(text, where) {
  const runs = englishRuns(text);
  if (runs.length) throw new Error(`${where}: English in ${JSON.stringify(text)}: ${JSON.stringify(runs)}`);
}

// --- helpers ---------------------------------------------------------------------------------
async function waitText(locator, text, what) {
  try {
    await locator.filter({ hasText: text }).first().waitFor({ timeout: STEP_MS });
  } catch (e) {
    const seen = (await locator.first().innerText().catch(() => "<nothing>")).slice(0, 400);
    throw new Error(`${what}: expected to see ${JSON.stringify(text)}; saw ${JSON.stringify(seen)}`);
  }
}

async function openTab(page, name) {
  await page.getByRole("tab", { name }).click();
}

async function shot(page, width, name) {
  await page.screenshot({ path: path.join(shots, `${width}-${name}.png`), fullPage: true });
}

// Ask in the chat and wait until this question's answer (not the "working" placeholder) has arrived.
async function ask(page, question) {
  const users = await page.locator("#chatbot [data-testid='user']").count();
  await page.locator("#question textarea").fill(question);
  await page.locator("#send").click();
  await page.waitForFunction(
    (n) => {
      const status = document.querySelector("#chat-status")?.innerText || "";
      const bots = document.querySelectorAll("#chatbot [data-testid='bot']");
      const last = bots.length ? bots[bots.length - 1].innerText : "";
      return document.querySelectorAll("#chatbot [data-testid='user']").length === n + 1
        && last && !last.includes("正在查找资料") && !last.includes("▌") && !status.includes("正在");
    },
    users,
    { timeout: STEP_MS },
  );
  return (await page.locator("#chat-status").innerText()).trim();
}

// A question the app refuses to take: the status says why, in Chinese, and the chat is unchanged.
async function askRefused(page, question, expected) {
  const users = await page.locator("#chatbot [data-testid='user']").count();
  await page.locator("#question textarea").fill(question);
  await page.locator("#send").click();
  await waitText(page.locator("#chat-status"), expected, `message for ${JSON.stringify(question.slice(0, 20))}`);
  const status = (await page.locator("#chat-status").innerText()).trim();
  assertChineseText(status, "question check");
  if (await page.locator("#chatbot [data-testid='user']").count() !== users) {
    throw new Error(`a refused question was added to the chat: ${question.slice(0, 20)}`);
  }
  return status;
}

async function lastBotText(page) {
  return page.locator("#chatbot [data-testid='bot']").last().innerText();
}

async function box(page, selector) {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not on the page`);
  return b;
}

// The element a user would touch at the centre of `selector` is that element (nothing lies over it).
async function assertUncovered(page, selector) {
  const covered = await page.locator(selector).first().evaluate((el) => {
    el.scrollIntoView({ block: "center" });
    const r = el.getBoundingClientRect();
    for (const [x, y] of [[r.left + 4, r.top + 4], [r.right - 4, r.top + 4], [r.left + r.width / 2, r.top + r.height / 2]]) {
      const top = document.elementFromPoint(x, y);
      if (top && !el.contains(top) && !top.contains(el)) return top.outerHTML.slice(0, 160);
    }
    return "";
  });
  if (covered) throw new Error(`${selector} is covered by ${covered}`);
}

// Neither the page nor `selector` needs scrolling sideways.
async function assertFitsWidth(page, selector) {
  const over = await page.evaluate((sel) => {
    const bad = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) bad.push(`page ${doc.scrollWidth} > ${doc.clientWidth}`);
    for (const el of document.querySelectorAll(sel)) {
      if (el.checkVisibility() && el.scrollWidth > el.clientWidth + 1) bad.push(`${sel} ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return bad;
  }, selector);
  if (over.length) throw new Error(`needs sideways scrolling: ${over.join("; ")}`);
}

// --- the run ---------------------------------------------------------------------------------
// A fresh profile (playwright passes it as --user-data-dir) so no state leaks between runs.
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
  viewport: DESKTOP,
  locale: "zh-CN",
});
let page;
try {
  page = browser.pages()[0] || await browser.newPage();
  page.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.setDefaultTimeout(STEP_MS);
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await page.locator("#question textarea").waitFor();
  // Example questions come from the loaded documents once the page has loaded.
  await page.locator("#examples").getByText("由谁主持").first().waitFor();
  await assertChinese(page, "问答 tab on load");
  log("loaded");

  // 1. The question checks answer in Chinese, with the fix.
  const empty = await askRefused(page, "", "问题是空的");
  const symbols = await askRefused(page, "？！……", "没有文字");
  const long = await askRefused(page, "座谈会由谁主持".repeat(90), "不能超过 500 字");
  log("question-errors", { empty, symbols, long });

  // 2. 问答: the seed question, its answer, a citation and a highlighted source under a simplified title.
  const status = await ask(page, "座谈会由谁主持?");
  const answer = await lastBotText(page);
  if (!answer.includes("刘玉杰")) throw new Error(`answer lacks 刘玉杰: ${answer}`);
  if (!/\[1\]/.test(answer)) throw new Error(`answer lacks a citation [1]: ${answer}`);
  if (!answer.includes(SEED)) throw new Error(`answer's source line lacks the simplified title: ${answer}`);
  await waitText(page.locator("#sources .mr-source-head"), SEED, "sources panel title");
  const marks = await page.locator("#sources mark").count();
  if (marks < 1) throw new Error("sources panel has no highlighted <mark> span");
  await assertChinese(page, "问答 tab with an answer");
  await shot(page, 1280, "1-chat");
  // The scope menu lists simplified titles, the original in quotes beside it.
  await page.locator("#scope input").click();
  const option = (await page.getByRole("option", { name: new RegExp(SEED) }).first().innerText()).trim();
  if (!option.startsWith(SEED) || !option.includes(`原题“${SEED_ORIGINAL}”`)) throw new Error(`scope option: ${option}`);
  await page.keyboard.press("Escape");
  log("chat", { status, marks, option });

  // A follow-up keeps the conversation; a refusal looks different; "新对话" clears it all.
  await ask(page, "他是什么职务?");
  await ask(page, "月球上有几个村?");
  const turns = await page.locator("#chatbot [data-testid='user']").count();
  if (turns !== 3) throw new Error(`expected 3 user turns in the conversation, saw ${turns}`);
  await waitText(page.locator("#chatbot [data-testid='bot']").last(), "未找到依据", "refusal message");
  const refusal = await lastBotText(page);
  if (refusal.includes("右侧")) throw new Error(`the refusal points to the right, which a phone does not have: ${refusal}`);
  await page.locator("#sources .mr-refusal").waitFor();
  await assertChinese(page, "refusal");
  await shot(page, 1280, "1b-refusal");
  await page.locator("#new-chat").click();
  await page.waitForFunction(() => document.querySelectorAll("#chatbot [data-testid='user']").length === 0);
  log("follow-up-and-reset", { turns });

  // 3. 会议纪要: the five seed meetings (simplified), one summary with evidence and downloads.
  await openTab(page, "会议纪要");
  for (const title of [SEED, "基层党建现场会", "全县基层党建工作重点任务推进会",
    "实施乡村振兴战略暨抓党建促脱贫攻坚工作推进会", "党建引领强动力跑出乡村振兴"]) {
    await waitText(page.locator("#meetings"), title, "meetings table");
  }
  await waitText(page.locator("#meetings"), `原题“${SEED_ORIGINAL}”`, "meetings table (original title)");
  await page.locator("#meetings").getByText(SEED).first().click();
  await waitText(page.locator("#summary"), "主持", "summary of the first meeting");
  const details = await page.locator("#summary details").count();
  await page.locator("#summary details summary").first().click();
  await page.locator("#dl-md").waitFor();
  await assertChinese(page, "会议纪要 tab");
  log("summaries", { details });
  await shot(page, 1280, "2-summaries");

  // 4. 文档管理: upload a new meeting, a hostile document and a broken PDF.
  await openTab(page, "文档管理");
  if (await page.locator("#ingest-results table").count()) throw new Error("an import result table before any import");
  await page.locator("#upload input[type=file]").setInputFiles([uploadFile, xssFile, brokenFile]);
  await page.locator("#ingest").click();
  await waitText(page.locator("#ingest-status"), "导入完成", "ingest status");
  await waitText(page.locator("#ingest-results"), "新增", "ingest results");
  await waitText(page.locator("#ingest-results"), "无法读取这个 PDF", "ingest results (broken PDF reason)");
  await waitText(page.locator("#docs"), "蓝天社区党建议事会", "documents table");
  // The hostile title is listed as text, not run.
  await waitText(page.locator("#docs"), "<script>alert(1)</script>", "documents table (escaped title)");
  await waitText(page.locator("#docs"), `原题“${SEED_ORIGINAL}”`, "documents table (original title)");
  await assertFitsWidth(page, "#ingest-results, #docs");
  await assertChinese(page, "文档管理 tab after an import");
  log("upload");
  await shot(page, 1280, "3-documents");

  // 5. Ask about the uploaded documents.
  await openTab(page, "问答");
  await ask(page, "蓝天社区党建议事会由谁主持?");
  const uploaded = await lastBotText(page);
  if (!uploaded.includes("王晓梅")) throw new Error(`answer about the upload lacks 王晓梅: ${uploaded}`);
  log("ask-upload");
  await ask(page, "安全测试会由谁主持?");
  const xssAnswer = await lastBotText(page);
  if (!xssAnswer.includes("周明")) throw new Error(`answer about the xss document lacks 周明: ${xssAnswer}`);
  await waitText(page.locator("#sources"), "<script>alert(1)</script>", "sources panel (escaped script)");
  const injected = await page.evaluate(() =>
    [...document.querySelectorAll("#sources script, #chatbot script, #docs script, #summary script")].length);
  if (injected) throw new Error(`${injected} <script> elements were injected into the page`);
  await page.waitForTimeout(500);  // give a wrongly-run alert() the chance to fire
  if (dialogs.length) throw new Error(`a dialog fired: ${dialogs.join(" | ")}`);
  log("xss", { injected, dialogs: dialogs.length });
  await shot(page, 1280, "4-chat-upload");

  // Remove the uploaded meeting again from 文档管理.
  await openTab(page, "文档管理");
  await page.locator("#remove-choice input").click();
  await page.getByRole("option", { name: /蓝天社区党建议事会/ }).click();
  await page.locator("#remove").click();
  await waitText(page.locator("#remove-status"), "已删除:蓝天社区党建议事会", "remove status");
  await page.waitForFunction(() => !document.querySelector("#docs")?.innerText.includes("蓝天社区党建议事会"));
  log("remove");

  // 6. 评测: the last run (or the hint that there is none) is shown on load. Asking for an uploaded
  // set without a file warns; the warning is gone once a real run starts. Run a small set with the baseline.
  await openTab(page, "评测");
  await page.locator("#eval-status").filter({ hasText: /评测时间|还没有评测结果/ }).first().waitFor();
  await page.locator("#dataset-choice").getByText("上传的 JSONL 题集").click();
  await page.locator("#run-eval").click();
  await waitText(page.locator("#eval-status"), "请先上传 JSONL 题集", "evaluation without a file");
  await page.locator("#dataset-file input[type=file]").setInputFiles(evalFile);
  await page.locator("#dataset-file").getByText(path.basename(evalFile)).first().waitFor();
  await page.locator("#run-eval").click();
  await page.waitForFunction(() => !document.querySelector("#eval-status")?.innerText.includes("请先上传"));
  await waitText(page.locator("#eval-status"), path.basename(evalFile), "evaluation status");
  await waitText(page.locator("#eval-status"), "基线直接用所引段落中的一句话作答", "evaluation note (baseline)");
  await waitText(page.locator("#eval-metrics"), "延迟 p95", "evaluation metrics (last row)");
  await waitText(page.locator("#eval-chart"), "回答正确率", "evaluation chart (Chinese labels)");
  await assertUncovered(page, "#eval-metrics tr:last-child");
  await assertChinese(page, "评测 tab after a run");
  log("evaluation");
  await shot(page, 1280, "5-evaluation");

  // 7. A phone: every tab fits, an answer's 来源 come right under it, nothing overlaps.
  await page.setViewportSize(PHONE);
  await page.goto(url, { waitUntil: "domcontentloaded" });
  await page.locator("#examples").getByText("由谁主持").first().waitFor();
  await assertChinese(page, "phone: 问答 tab on load");
  await askRefused(page, "", "问题是空的");
  await ask(page, "座谈会由谁主持?");
  await page.locator("#sources mark").first().waitFor();
  const chat = await box(page, "#chatbot");
  const sources = await box(page, "#sources");
  const input = await box(page, "#ask-row");
  const gap = Math.round(sources.y - (chat.y + chat.height));
  if (gap < 0 || gap > 120) throw new Error(`phone: 来源 start ${gap} px below the chat (want 0-120)`);
  if (input.y < sources.y) throw new Error("phone: the input comes before the 来源 of the answer");
  await assertUncovered(page, "#chatbot [data-testid='user']");
  await assertFitsWidth(page, "#engine .info-text, #sources");
  await assertChinese(page, "phone: 问答 tab with an answer");
  await shot(page, 390, "1-chat");
  await ask(page, "月球上有几个村?");
  const phoneRefusal = await lastBotText(page);
  if (phoneRefusal.includes("右侧")) throw new Error(`phone: the refusal points to the right: ${phoneRefusal}`);
  await shot(page, 390, "1b-refusal");
  await openTab(page, "会议纪要");
  await page.locator("#meetings").getByText(SEED).first().click();
  await waitText(page.locator("#summary"), "主持", "phone: summary");
  await assertFitsWidth(page, "#summary");
  await assertChinese(page, "phone: 会议纪要 tab");
  await shot(page, 390, "2-summaries");
  await openTab(page, "文档管理");
  await waitText(page.locator("#docs"), SEED, "phone: documents table");
  await assertFitsWidth(page, "#docs");
  await assertChinese(page, "phone: 文档管理 tab");
  await shot(page, 390, "3-documents");
  await openTab(page, "评测");
  await waitText(page.locator("#eval-chart"), "回答正确率", "phone: evaluation chart");
  const chart = await box(page, "#eval-chart .mr-chart");
  const tab = await box(page, "#tab-evaluation");
  if (chart.width < tab.width * 0.85) throw new Error(`phone: the chart is ${chart.width} px wide of ${tab.width}`);
  await assertFitsWidth(page, "#eval-metrics, #eval-chart");
  await assertChinese(page, "phone: 评测 tab");
  await shot(page, 390, "5-evaluation");
  log("phone", { gap, chart: Math.round(chart.width) });

  if (dialogs.length) throw new Error(`a dialog fired: ${dialogs.join(" | ")}`);
  console.log(JSON.stringify({ step: "done", ok: true, dialogs: dialogs.length }));
} catch (e) {
  if (page) await page.screenshot({ path: path.join(shots, "failure.png"), fullPage: true }).catch(() => {});
  console.log(JSON.stringify({ step: "failed", ok: false, error: String(e?.message || e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
