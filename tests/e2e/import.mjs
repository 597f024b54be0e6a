// End-to-end tests of "Import from AWS" (issue #17, part 3): paste text and
// drop files (several at once, one gzip-compressed as S3 stores CloudTrail
// logs), see what was recognised from each, open the imported requests,
// each decided as AWS did; bad input keeps the pasted text; share links of
// an imported file warn that they hold account ids; nothing leaves the
// browser (run.mjs's last test checks every request the page made).
// Registered by run.mjs.

import fs from "node:fs";
import path from "node:path";

const fixtures = (root) => path.join(root, "tests/import");

async function openRoom(page) {
  await page.click("[data-testid=import-aws]");
  await page.waitForSelector("#aws-import[open] [data-testid=aws-import-text]", { timeout: 15000 });
}

async function paste(page, text) {
  await page.fill("[data-testid=aws-import-text]", text);
  // The room imports once typing settles (200 ms).
  await page.waitForTimeout(400);
}

export function registerImport({ test, open, decisions, assert, shots, pageUrl, root }) {
  const dir = fixtures(root);
  const read = (name) => fs.readFileSync(path.join(dir, name), "utf8");
  const dropped = [
    "ct-decrypt.json",
    "get-key-policy.json",
    "describe-key.json",
    "authorization-details.json",
    "seed-004-log.json.gz",
  ].map((f) => path.join(dir, f));

  test("import from AWS: paste a record, drop six files, see each recognised, open the calls as AWS decided them", async () => {
    const { page, context } = await open();
    await openRoom(page);
    const privacy = await page.textContent("[data-testid=aws-import-privacy]");
    assert(/never uploaded/.test(privacy), "the room says nothing leaves the browser: " + privacy);

    // Bad input first: the error names the input and the place, the text stays.
    const broken = '{"eventSource": "kms.amazonaws.com", "eventName": }';
    await paste(page, broken);
    const error = await page.textContent("[data-testid=aws-import-error]");
    assert(/^pasted text:1:/.test(error), "a positioned error: " + error);
    assert((await page.inputValue("[data-testid=aws-import-text]")) === broken, "the pasted text is kept");
    assert(await page.isDisabled("[data-testid=aws-import-open]"), "nothing to open");

    await paste(page, read("ct-decrypt-fail.json"));
    await page.setInputFiles("[data-testid=aws-import-files]", dropped);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=aws-import-recognised] > ul > li").length === 6, null, { timeout: 15000 });
    const lines = await page.$$eval("[data-testid=aws-import-recognised] > ul > li", (l) => l.map((x) => x.textContent));
    assert(lines[0].startsWith("pasted text: a CloudTrail record"), lines[0]);
    assert(lines.some((l) => l.startsWith("seed-004-log.json.gz: a CloudTrail log file, gzip-compressed")), lines.join(" | "));
    assert(lines.some((l) => l.startsWith("authorization-details.json: aws iam get-account-authorization-details")), lines.join(" | "));
    const keys = await page.$$eval("[data-testid=aws-import-keys] li", (l) => l.map((x) => x.textContent));
    assert(keys.length === 1 && keys[0].includes("1234abcd-12ab-34cd-56ef-1234567890ab"), "one file, for the records' key: " + keys.join());
    const notes = await page.$$eval("[data-testid=aws-import-notes] li", (l) => l.map((x) => x.textContent));
    const findings = notes.filter((n) => n.startsWith("Finding"));
    await page.locator("#aws-import").screenshot({ path: path.join(shots, "import-room.png") });

    await page.click("[data-testid=aws-import-open]");
    await page.waitForSelector("#aws-import:not([open])", { state: "attached" });
    await page.waitForFunction(() => document.querySelector("[data-testid=notice]")?.textContent.includes("Imported from AWS"), null, { timeout: 5000 });
    const rows = await page.$$eval("[data-testid=result-row]", (r) => r.map((x) => [x.querySelector(".result-name").textContent, x.dataset.decision, x.dataset.asItShould]));
    assert(rows.length === 5, "the five imported calls are the rows: " + JSON.stringify(rows));
    // Alice's and Bob's calls are decided as AWS did (Bob's denied); the
    // log's calls are not: the imported key policy (the console's example)
    // has no statement for CloudTrail (two findings), and cloudtrail-admin's
    // IAM policies are not in what was imported (a note says which to add).
    const alice = rows.find((r) => r[0].includes("Alice"));
    const bob = rows.find((r) => r[0].includes("Bob"));
    assert(alice && alice[1] === "allowed" && alice[2] === "true", "Alice decrypts, as AWS said: " + JSON.stringify(rows));
    assert(bob && bob[1] !== "allowed" && bob[2] === "true", "Bob is denied, as AWS said: " + JSON.stringify(rows));
    assert(rows.filter((r) => r[2] === "false").length === 3, "the log's three calls disagree: " + JSON.stringify(rows));
    assert(findings.length === 2, "the room named CloudTrail's two calls as findings: " + findings.join(" | "));
    assert(notes.some((n) => n.includes("cloudtrail-admin has no identity policy")), "and said what is missing for the third: " + notes.join(" | "));
    await page.screenshot({ path: path.join(shots, "import-opened.png"), fullPage: true });

    // A share link of an imported file says it holds account ids.
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.click("[data-testid=share]");
    await page.waitForFunction(() => document.querySelector("[data-testid=notice]")?.textContent.includes("account ids"), null, { timeout: 10000 });
    await context.close();
  });

  test("import from AWS: in Japanese, dark, at 1280×800 and on a 390×844 phone, the room fits and speaks the page's language", async () => {
    for (const [name, url, options] of [
      ["import-room-desktop.png", pageUrl, { viewport: { width: 1280, height: 800 } }],
      ["import-room-ja-dark.png", pageUrl + "?lang=ja", { viewport: { width: 1280, height: 800 }, locale: "ja-JP", colorScheme: "dark" }],
      ["import-room-phone.png", pageUrl, { viewport: { width: 390, height: 844 } }],
      ["import-room-ja-dark-phone.png", pageUrl + "?lang=ja", { viewport: { width: 390, height: 844 }, locale: "ja-JP", colorScheme: "dark" }],
    ]) {
      const { page, context } = await open(url, options);
      await openRoom(page);
      await paste(page, read("ct-decrypt.json"));
      await page.setInputFiles("[data-testid=aws-import-files]", [path.join(dir, "get-key-policy.json")]);
      await page.waitForFunction(() => document.querySelectorAll("[data-testid=aws-import-recognised] > ul > li").length === 2, null, { timeout: 15000 });
      const first = await page.textContent("[data-testid=aws-import-recognised] > ul > li");
      if (url.includes("lang=ja")) assert(first.startsWith("貼り付けたテキスト"), name + ": " + first);
      else assert(first.startsWith("pasted text"), name + ": " + first);
      const overflow = await page.$eval("#aws-import", (d) => d.scrollWidth - d.clientWidth);
      assert(overflow <= 1, `${name}: no sideways scroll in the room (${overflow} px)`);
      const box = await page.$eval("#aws-import", (d) => d.getBoundingClientRect().right <= window.innerWidth);
      assert(box, `${name}: the room fits the viewport`);
      await page.screenshot({ path: path.join(shots, name) });
      await context.close();
    }
  });
}
