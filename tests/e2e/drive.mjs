// Drives the meetrag web app in Debian's headless Chromium through playwright-core.
//
// Usage: node drive.mjs  (configured by environment variables, set by test_browser.py)
//   MEETRAG_URL        base URL of a running `meetrag serve`
//   SHOT_DIR           where to write one PNG per tab
//   UPLOAD_FILE        a small meeting document to upload and then ask about
//   XSS_FILE           a document whose title and body contain <script>alert(1)</script>
//   EVAL_FILE          a small JSONL question set to evaluate from the 评测 tab
//   CHROMIUM           browser binary (default /usr/bin/chromium)
// Prints one JSON line per finished step; exits 1 with the failing step's message.
// Loopback only: every browser network feature that would call out is disabled.
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const url = process.env.MEETRAG_URL;
const shots = process.env.SHOT_DIR;
const uploadFile = process.env.UPLOAD_FILE;
const xssFile = process.env.XSS_FILE;
const evalFile = process.env.EVAL_FILE;
const STEP_MS = 90_000;
if (!url || !shots || !uploadFile || !xssFile || !evalFile) {
  console.error("set MEETRAG_URL, SHOT_DIR, UPLOAD_FILE, XSS_FILE and EVAL_FILE");
  process.exit(2);
}
fs.mkdirSync(shots, { recursive: true });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "meetrag-chromium-"));

const log = (step, extra = {}) => console.log(JSON.stringify({ step, ok: true, ...extra }));
const dialogs = [];

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

async function lastBotText(page) {
  return page.locator("#chatbot [data-testid='bot']").last().innerText();
}

// A fresh profile (playwright passes it as --user-data-dir) so no state leaks between runs.
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
  viewport: { width: 1400, height: 1000 },
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
  log("loaded");

  // 1. 问答: the seed question, its answer, a citation and a highlighted source.
  const status = await ask(page, "座谈会由谁主持?");
  const answer = await lastBotText(page);
  if (!answer.includes("刘玉杰")) throw new Error(`answer lacks 刘玉杰: ${answer}`);
  if (!/\[1\]/.test(answer)) throw new Error(`answer lacks a citation [1]: ${answer}`);
  await waitText(page.locator("#sources"), "座談會", "sources panel title");
  const marks = await page.locator("#sources mark").count();
  if (marks < 1) throw new Error("sources panel has no highlighted <mark> span");
  log("chat", { status, marks });
  await page.screenshot({ path: path.join(shots, "1-chat.png"), fullPage: true });

  // A follow-up keeps the conversation; a refusal looks different; "新对话" clears it all.
  await ask(page, "他是什么职务?");
  await ask(page, "月球上有几个村?");
  const turns = await page.locator("#chatbot [data-testid='user']").count();
  if (turns !== 3) throw new Error(`expected 3 user turns in the conversation, saw ${turns}`);
  await waitText(page.locator("#chatbot [data-testid='bot']").last(), "未找到依据", "refusal message");
  await page.locator("#sources .mr-refusal").waitFor();
  await page.screenshot({ path: path.join(shots, "1b-refusal.png"), fullPage: true });
  await page.locator("#new-chat").click();
  await page.waitForFunction(() => document.querySelectorAll("#chatbot [data-testid='user']").length === 0);
  log("follow-up-and-reset", { turns });

  // 2. 会议纪要: the five seed meetings, one summary with evidence and downloads.
  await openTab(page, "会议纪要");
  for (const title of ["全市优秀基层党组织书记座谈会", "基层党建现场会", "全县基层党建工作重点任务推进会",
    "实施乡村振兴战略暨抓党建促脱贫攻坚工作推进会", "党建引领强动力跑出乡村振兴"]) {
    await waitText(page.locator("#meetings"), title, "meetings table");
  }
  await page.locator("#meetings").getByText("全市优秀基层党组织书记座谈会").first().click();
  await waitText(page.locator("#summary"), "主持", "summary of the first meeting");
  const details = await page.locator("#summary details").count();
  await page.locator("#summary details summary").first().click();
  await page.locator("#dl-md").waitFor();
  log("summaries", { details });
  await page.screenshot({ path: path.join(shots, "2-summaries.png"), fullPage: true });

  // 3. 文档管理: upload a new meeting and a hostile document.
  await openTab(page, "文档管理");
  await page.locator("#upload input[type=file]").setInputFiles([uploadFile, xssFile]);
  await page.locator("#ingest").click();
  await waitText(page.locator("#ingest-status"), "导入完成", "ingest status");
  await waitText(page.locator("#ingest-results"), "新增", "ingest results");
  await waitText(page.locator("#docs"), "蓝天社区党建议事会", "documents table");
  // The hostile title is listed as text, not run.
  await waitText(page.locator("#docs"), "<script>alert(1)</script>", "documents table (escaped title)");
  log("upload");
  await page.screenshot({ path: path.join(shots, "3-documents.png"), fullPage: true });

  // 4. Ask about the uploaded documents.
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
  await page.screenshot({ path: path.join(shots, "4-chat-upload.png"), fullPage: true });

  // Remove the uploaded meeting again from 文档管理.
  await openTab(page, "文档管理");
  await page.locator("#remove-choice input").click();
  await page.getByRole("option", { name: /蓝天社区党建议事会/ }).click();
  await page.locator("#remove").click();
  await waitText(page.locator("#remove-status"), "已删除:蓝天社区党建议事会", "remove status");
  await page.waitForFunction(() => !document.querySelector("#docs")?.innerText.includes("蓝天社区党建议事会"));
  log("remove");

  // 5. 评测: the last run (or the hint that there is none) is shown on load; run a small uploaded set.
  await openTab(page, "评测");
  await page.locator("#eval-status").filter({ hasText: /评测时间|还没有评测结果/ }).first().waitFor();
  await page.locator("#dataset-choice").getByText("上传的 JSONL 题集").click();
  await page.locator("#dataset-file input[type=file]").setInputFiles(evalFile);
  await page.locator("#dataset-file").getByText(path.basename(evalFile)).first().waitFor();
  await page.locator("#baseline input[type=checkbox]").uncheck();
  await page.locator("#run-eval").click();
  await waitText(page.locator("#eval-status"), path.basename(evalFile), "evaluation status");
  await waitText(page.locator("#eval-metrics"), "回答正确率", "evaluation metrics");
  await page.locator("#eval-chart img").waitFor();
  log("evaluation");
  await page.screenshot({ path: path.join(shots, "5-evaluation.png"), fullPage: true });
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
