// End-to-end tests of the page as a newcomer meets it (issue #16): the
// language picker, deep links and share links that keep everything, the
// answer above the fold, no sideways scroll on a phone, the address after
// leaving an exercise. Registered by run.mjs.

import path from "node:path";

const rowTop = (page) =>
  page.$eval("[data-testid=result-row]", (r) => r.getBoundingClientRect().top + window.scrollY);

export function registerNewcomer({ test, open, typePolicy, decisions, assert, shots, pageUrl }) {
  test("newcomer: each language is named in its own words, in either language", async () => {
    for (const lang of ["en", "ja"]) {
      const { page, context } = await open(pageUrl + "?lang=" + lang, { locale: lang === "ja" ? "ja-JP" : "en-US" });
      const names = await page.$$eval("[data-testid=lang-picker] option", (o) => o.map((x) => `${x.value}:${x.textContent}`));
      assert(names.join() === "en:English,ja:日本語", `${lang}: ${names.join()}`);
      await context.close();
    }
  });

  test("newcomer: a scenario has a deep link, and a share link reopens scenario, parameters, row and language", async () => {
    const { page, context } = await open();
    await page.selectOption("[data-testid=scenario-picker]", "cloudtrail-trail");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("scenario") === "cloudtrail-trail", null, { timeout: 5000 });
    await page.click("[data-testid=scenario-params] summary");
    await page.fill("[data-param=trail_name]", "Audit");
    await page.waitForTimeout(50);
    await page.locator("[data-testid=result-row] .result-head").nth(1).click();
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.click("[data-testid=share]");
    await page.waitForSelector("[data-testid=notice]");
    const link = page.url();
    const names = await page.$$eval(".result-name", (n) => n.map((x) => x.textContent));
    await context.close();
    // A fresh browser (no autosave) opens the link.
    const fresh = await open(link);
    assert((await fresh.page.inputValue("[data-testid=scenario-picker]")) === "cloudtrail-trail", "scenario reopened");
    await fresh.page.click("[data-testid=scenario-params] summary");
    assert((await fresh.page.inputValue("[data-param=trail_name]")) === "Audit", "parameter reopened");
    assert((await fresh.page.$$eval(".result-name", (n) => n.map((x) => x.textContent))).join() === names.join(), "same rows");
    assert((await fresh.page.locator("[data-testid=result-row]").nth(1).getAttribute("class")).includes("selected"), "the selected row reopened");
    await fresh.context.close();
    // The deep link alone opens the scenario around the example.
    const deep = await open(pageUrl + "?scenario=eventbridge-connection");
    assert((await deep.page.inputValue("[data-testid=scenario-picker]")) === "eventbridge-connection", "deep link");
    await deep.context.close();
    const unknown = await open(pageUrl + "?scenario=nope");
    assert((await unknown.page.textContent("[data-testid=notice]")).includes("nope"), "an unknown scenario is said so");
    assert((await decisions(unknown.page)).length === 4, "and the file's own requests are shown");
    await unknown.context.close();
  });

  test("newcomer: after picking a scenario the first row is in view, at 1280×800 and on a plain 390×844 phone", async () => {
    for (const [name, viewport, fold] of [
      ["scenario-desktop.png", { width: 1280, height: 800 }, 800],
      ["scenario-phone.png", { width: 390, height: 844 }, 844],
    ]) {
      const { page, context } = await open(pageUrl, { viewport });
      await page.selectOption("[data-testid=scenario-picker]", "cloudtrail-trail");
      await page.waitForTimeout(50);
      const top = await rowTop(page);
      // On a phone the answers come before the editor.
      assert(top < fold, `${name}: first row at ${Math.round(top)} px of ${fold}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(overflow <= 1, `${name}: no sideways scroll (${overflow} px)`);
      // The description sits inside its pane, clear of any border.
      const box = await page.$eval("[data-testid=scenario-summary]", (p) => {
        const r = p.getBoundingClientRect();
        const pane = p.closest(".pane").getBoundingClientRect();
        return r.left >= pane.left && r.right <= pane.right + 0.5;
      });
      assert(box, `${name}: the description fits its pane`);
      await page.screenshot({ path: path.join(shots, name) });
      await context.close();
    }
  });

  test("newcomer: leaving an exercise takes ?exercise= out of the address", async () => {
    const { page, context } = await open(pageUrl + "?exercise=bob-reads-logs", {}, "[data-testid=goal]");
    await page.click("[data-testid=tab-playground]");
    await page.waitForSelector("[data-testid=result-row]");
    assert(!new URL(page.url()).searchParams.has("exercise"), "address: " + page.url());
    await context.close();
  });

  registerScenarioFeatures({ test, open, typePolicy, assert, shots, pageUrl });
}

export function registerRowMarks({ test, open, assert }) {
  test("newcomer: a row's mark says whether the request gets what it should, in words", async () => {
    const { page, context } = await open();
    const rows = await page.$$eval("[data-testid=result-row]", (r) =>
      r.map((x) => [x.dataset.decision, x.dataset.asItShould, x.querySelector(".mark-icon").textContent, x.querySelector(".expect")?.textContent || ""]),
    );
    // The example: one allowed read, three denials that are meant.
    for (const [decision, should, mark, expect] of rows) {
      assert(should === "true" && mark === "✓", `a met expectation gets a ✓: ${decision} ${mark} ${expect}`);
      assert(!/implicitDeny|explicitDeny/.test(expect), "the expectation in words: " + expect);
    }
    await context.close();
  });
}

export function registerStaleMessages({ test, open, typePolicy, assert }) {
  test("newcomer: no stale or misleading message (broken JSON, Format, the lifecycle clock)", async () => {
    const { page, context } = await open();
    const valid = await page.inputValue("[data-testid=policy-editor]");
    const broken = valid.replace('"Version"', '"Version" "');
    await typePolicy(page, broken);
    // "Suggest a fix" on a row that now fails points at the JSON first.
    await page.locator("[data-testid=fix-suggest]").first().click();
    const first = page.locator("[data-testid=fix-json-first]").first();
    await first.waitFor({ timeout: 10000 });
    assert(/line 2/.test(await first.textContent()), "names the line: " + (await first.textContent()));
    // Format on broken text says why; valid text makes the notice go.
    await page.click("[data-testid=format]");
    await page.waitForSelector("[data-testid=notice]");
    await typePolicy(page, valid);
    assert((await page.$$("[data-testid=notice]")).length === 0, "the cannot-format notice is gone");
    // The lifecycle panel before any step.
    await page.click("[data-testid=lifecycle] summary");
    const clockLine = page.locator("[data-testid=lifecycle-clock]");
    await clockLine.waitFor({ timeout: 10000 });
    const clock = await clockLine.textContent();
    assert(!clock.includes(" ;") && clock.includes("No simulated time"), "clock line: " + clock);
    await context.close();
  });
}

// Item 6: the README's embed snippet sizes the frame to what it shows. The
// frame reported 1,281 px for 1,524 px of content (the editor's height
// followed the frame's, and nothing was reported after a folded section
// opened), so the Requests pane was cut off.
export function registerEmbedHeight({ test, browser, origin, pageUrl, assert, shots }) {
  test("newcomer: an embedded frame grows to its whole content, also after a hint or a panel opens", async () => {
    for (const [name, width] of [["embed-desktop.png", 1280], ["embed-phone.png", 390]]) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      const src = pageUrl + "?embed=1&exercise=bob-reads-logs";
      await page.goto(`${origin}/host.html?src=${encodeURIComponent(src)}`);
      await page.evaluate(() => { document.getElementById("pg").style.width = "100%"; });
      const frame = page.frameLocator("#pg");
      await frame.locator("[data-testid=goal]").first().waitFor();
      const handle = await page.$("#pg");
      const inner = await handle.contentFrame();
      // Everything fits: the frame's document has nothing below its height.
      const fits = async (what) => {
        await page.waitForTimeout(300);
        const m = await inner.evaluate(() => ({
          scroll: document.documentElement.scrollHeight,
          view: window.innerHeight,
          results: Math.ceil(document.querySelector(".pane-results").getBoundingClientRect().bottom),
        }));
        assert(m.scroll <= m.view + 1 && m.results <= m.view + 1, `${name} ${what}: content ${m.scroll} px, results end at ${m.results} px, frame ${m.view} px`);
      };
      await fits("at first");
      await frame.locator("[data-testid=hint-button]").click();
      await frame.locator("[data-testid=hint]").first().waitFor();
      await fits("after a hint");
      await frame.locator("[data-testid=lifecycle] summary").click();
      await fits("after the lifecycle panel opened");
      await page.screenshot({ path: path.join(shots, name), fullPage: true });
      await context.close();
    }
  });
}

// The newcomer's features of session 6 (commit 28074b2): a scenario runs for
// the pasted policy's own key, rows and expectations read as sentences,
// yes/no parameters are checkboxes, a one-line paste is formatted (Undo
// gives it back), Tab indents (Esc then Tab leaves), an empty file says
// what to do, and the documentation's placeholders are corrected in place.
// Called from registerNewcomer.

// The user's own key: its root statement names 444455556666, and a
// CloudTrail statement names a trail of that account in eu-central-1.
const OWN_KEY_POLICY = JSON.stringify(
  {
    Version: "2012-10-17",
    Statement: [
      { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "kms:*", Resource: "*" },
      {
        Sid: "Allow CloudTrail to encrypt logs",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "kms:GenerateDataKey*",
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:eu-central-1:444455556666:trail/org-audit" },
          StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:444455556666:trail/*" },
        },
      },
    ],
  },
  null,
  2,
);

const editorValue = (page) => page.inputValue("[data-testid=policy-editor]");

// A real paste: the browser replaces the selection and fires an input event
// whose inputType is insertFromPaste.
async function pastePolicy(page, text) {
  await page.focus("[data-testid=policy-editor]");
  await page.keyboard.press("Control+A");
  await page.evaluate((t) => {
    const area = document.querySelector("[data-testid=policy-editor]");
    area.value = t;
    area.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste", data: t }));
  }, text);
  await page.waitForTimeout(50);
}

export function registerScenarioFeatures({ test, open, typePolicy, assert, shots, pageUrl }) {
  test("newcomer: a scenario runs for the key of the pasted policy, in English at 1280×800 and in Japanese on a dark 390×844 phone", async () => {
    for (const [name, url, options] of [
      ["own-key-en.png", pageUrl, { viewport: { width: 1280, height: 800 } }],
      ["own-key-ja-dark-phone.png", pageUrl + "?lang=ja", { viewport: { width: 390, height: 844 }, locale: "ja-JP", colorScheme: "dark" }],
    ]) {
      const { page, context } = await open(url, options);
      await typePolicy(page, OWN_KEY_POLICY);
      await page.selectOption("[data-testid=scenario-picker]", "eventbridge-connection");
      await page.waitForSelector("[data-testid=scenario-key]");
      const key = await page.textContent("[data-testid=scenario-key]");
      assert(key.includes("444455556666") && key.includes("eu-central-1"), `${name}: the scenario says whose key it runs for: ${key}`);
      const rows = await page.$$eval("[data-testid=result-row]", (r) => r.map((x) => x.textContent));
      assert(rows.length > 0, `${name}: the scenario's rows are shown`);
      const example = rows.filter((t) => t.includes("012345678901"));
      assert(example.length === 0, `${name}: a row still names the scenario's example account: ${example[0]}`);
      assert(rows.some((t) => t.includes("444455556666")), `${name}: the rows name the user's account`);
      // The key's account is the root statement's: no lockout.
      const findings = await page.$$eval("[data-testid=finding]", (f) => f.map((x) => [x.dataset.code, x.textContent]));
      const lockout = findings.filter(([code, text]) => code === "key-policy-lockout" || /no statement lets anyone manage this key/.test(text));
      assert(lockout.length === 0, `${name}: a lockout is reported for the user's own key: ${JSON.stringify(lockout)}`);
      assert((await page.$$(".mark-error")).length === 0, `${name}: nothing is underlined as an error in the editor`);
      await page.click("[data-testid=scenario-params] summary");
      const account = page.locator("[data-param=key_account]");
      await account.waitFor();
      assert((await account.inputValue()) === "444455556666", `${name}: key_account parameter: ${await account.inputValue()}`);
      const origin = await page.$eval("[data-param=key_account]", (i) => i.closest("label").querySelector(".param-origin")?.dataset.origin);
      assert(origin === "from-key", `${name}: the key_account parameter is marked as taken from the key: ${origin}`);
      // The snippet comes from the page's second module: wait for it.
      await page.waitForSelector("[data-testid=snippet] pre.code");
      await page
        .waitForFunction(() => document.querySelector("[data-testid=snippet] pre.code").textContent.includes("444455556666"), null, { timeout: 15000 })
        .catch(() => {});
      const snippet = await page.textContent("[data-testid=snippet] pre.code");
      assert(snippet.includes("444455556666") && !snippet.includes("012345678901"), `${name}: the snippet is for the user's account: ${snippet.slice(0, 400)}`);
      // The key's sentence and the first rows; then the parameters and the snippet.
      await page.locator("[data-testid=scenario-key]").scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(shots, name) });
      await page.locator("[data-testid=scenario-params]").evaluate((p) => p.scrollIntoView({ block: "start" }));
      await page.screenshot({ path: path.join(shots, name.replace(".png", "-params.png")) });
      await page.locator("[data-testid=snippet] pre.code").evaluate((p) => p.scrollIntoView({ block: "start" }));
      await page.screenshot({ path: path.join(shots, name.replace(".png", "-snippet.png")) });
      await context.close();
    }
  });

  test("newcomer: a scenario's rows are titled by sentences, and expectations are in words", async () => {
    const { page, context } = await open(pageUrl, { viewport: { width: 1280, height: 800 } });
    await page.selectOption("[data-testid=scenario-picker]", "cloudtrail-trail");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=result-row] .result-name[data-name^='create-check']").length > 0, null, { timeout: 5000 });
    const names = await page.$$eval(".result-name", (n) => n.map((x) => [x.dataset.name || "", x.textContent.trim()]));
    assert(names.length >= 4, "cloudtrail-trail has its rows: " + names.length);
    for (const [id, title] of names) {
      const bareId = id.split(" ")[0];
      assert(/^[a-z0-9]+(-[a-z0-9]+)*$/.test(bareId), "data-name holds the row's id: " + id);
      assert(title.includes(" ") && !/^[a-z0-9-]+$/.test(title) && !title.startsWith(bareId), `the row "${id}" is titled by a sentence: ${title}`);
    }
    const expects = await page.$$eval("[data-testid=result-row] .expect", (e) => e.map((x) => x.textContent));
    assert(expects.length === names.length, `each row says what it should do (${expects.length} of ${names.length})`);
    for (const e of expects) assert(!/Success|implicitDeny|explicitDeny/.test(e), "the expectation in words: " + e);
    await page.screenshot({ path: path.join(shots, "row-titles.png"), fullPage: true });
    await context.close();
  });

  test("newcomer: a yes/no scenario parameter is a checkbox, and ticking it changes the rows and the statements", async () => {
    const { page, context } = await open(pageUrl, { viewport: { width: 1280, height: 800 } });
    await page.selectOption("[data-testid=scenario-picker]", "cloudtrail-trail");
    await page.waitForSelector("[data-testid=result-row] .result-name[data-name^='create-check']");
    await page.click("[data-testid=scenario-params] summary");
    const flag = page.locator("[data-param=s3_bucket_key]");
    await flag.waitFor();
    const kind = await flag.evaluate((i) => `${i.tagName.toLowerCase()}[type=${i.type}]`);
    assert(kind === "input[type=checkbox]", "s3_bucket_key is " + kind);
    assert(!(await flag.isChecked()), "unticked by default");
    const rowNames = () => page.$$eval(".result-name", (n) => n.map((x) => x.dataset.name));
    const snippet = async () => {
      await page.waitForSelector("[data-testid=snippet] pre.code");
      return page.textContent("[data-testid=snippet] pre.code");
    };
    const before = await rowNames();
    const snippetBefore = await snippet();
    assert(!snippetBefore.includes("Allow CloudTrail to decrypt a trail"), "no Decrypt statement without a Bucket Key");
    await flag.check();
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=result-row]").length !== n, before.length, { timeout: 5000 }).catch(() => {});
    const after = await rowNames();
    assert(after.length === before.length + 1, `a Bucket Key adds CloudTrail's Decrypt request: ${before.length} → ${after.length} rows (${after.join(" | ")})`);
    await page
      .waitForFunction(() => document.querySelector("[data-testid=snippet] pre.code").textContent.includes("Allow CloudTrail to decrypt a trail"), null, { timeout: 15000 })
      .catch(() => {});
    assert((await snippet()).includes("Allow CloudTrail to decrypt a trail"), "the snippet gains the Decrypt statement");
    const added = after.find((n) => !before.includes(n));
    await page.locator(`.result-name[data-name="${added}"]`).evaluate((n) => n.scrollIntoView({ block: "start" }));
    await page.screenshot({ path: path.join(shots, "param-checkbox.png") });
    await page.locator("[data-testid=scenario-params]").evaluate((n) => n.scrollIntoView({ block: "start" }));
    await page.screenshot({ path: path.join(shots, "param-checkbox-params.png") });
    await flag.uncheck();
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=result-row]").length === n, before.length, { timeout: 5000 }).catch(() => {});
    assert((await rowNames()).join() === before.join(), "unticking gives the rows back");
    await context.close();
  });

  test("newcomer: a long one-line policy pasted is formatted at once, and Undo gives back exactly what was pasted", async () => {
    const { page, context } = await open(pageUrl, { viewport: { width: 1280, height: 800 } });
    const oneLine = JSON.stringify(JSON.parse(OWN_KEY_POLICY));
    assert(oneLine.length > 200 && !oneLine.includes("\n"), "a long one-line policy: " + oneLine.length);
    await pastePolicy(page, oneLine);
    await page.waitForSelector("[data-testid=notice]", { timeout: 5000 });
    const formatted = await editorValue(page);
    assert(formatted.split("\n").length >= 10, `formatted in the editor: ${formatted.split("\n").length} lines`);
    assert(JSON.stringify(JSON.parse(formatted)) === oneLine, "formatting keeps the policy");
    const notice = await page.textContent("[data-testid=notice]");
    assert(notice.trim().length > 0, "a notice says the paste was formatted");
    await page.screenshot({ path: path.join(shots, "paste-formatted.png") });
    await page.click("[data-testid=undo]");
    await page.waitForFunction((t) => document.querySelector("[data-testid=policy-editor]").value === t, oneLine, { timeout: 5000 }).catch(() => {});
    assert((await editorValue(page)) === oneLine, "Undo gives back the text as pasted: " + (await editorValue(page)).slice(0, 120));
    await context.close();
  });

  // The same paste when the editor already holds that policy formatted
  // (copy the policy, minify it elsewhere, paste it back): what the editor
  // holds must be what it shows.
  test("newcomer: pasting the one-line form of the policy already shown formats the editor's text too", async () => {
    const { page, context } = await open(pageUrl, { viewport: { width: 1280, height: 800 } });
    const shown = await editorValue(page);
    const oneLine = JSON.stringify(JSON.parse(shown));
    assert(oneLine.length > 200, "a long one-line policy: " + oneLine.length);
    await pastePolicy(page, oneLine);
    await page.waitForSelector("[data-testid=notice]", { timeout: 5000 });
    await page.waitForTimeout(200);
    const value = await editorValue(page);
    const highlighted = await page.$eval(".editor-highlight", (p) => p.textContent);
    await page.screenshot({ path: path.join(shots, "paste-formatted-same.png") });
    assert(
      value.split("\n").length >= 10,
      `the notice says the paste was formatted and the highlight shows ${highlighted.split("\n").length} lines, but the textarea holds ${value.split("\n").length} line(s)`,
    );
    await context.close();
  });

  test("newcomer: Tab indents in the editor, and Esc then Tab leaves it", async () => {
    const { page, context } = await open(pageUrl, { viewport: { width: 1280, height: 800 } });
    const start = await editorValue(page);
    await page.evaluate(() => {
      const area = document.querySelector("[data-testid=policy-editor]");
      area.focus();
      area.setSelectionRange(0, 0);
      // focus() scrolled to the caret at the end; show the first line.
      area.scrollTop = 0;
    });
    await page.keyboard.press("Tab");
    await page.waitForTimeout(50);
    const indented = await editorValue(page);
    assert(indented === "  " + start, "Tab put two spaces at the caret: " + JSON.stringify(indented.slice(0, 12)));
    const focus = () => page.evaluate(() => document.activeElement?.dataset?.testid || document.activeElement?.tagName);
    assert((await focus()) === "policy-editor", "the editor keeps the focus after Tab: " + (await focus()));
    await page.screenshot({ path: path.join(shots, "tab-indent.png") });
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    await page.waitForTimeout(50);
    const left = await focus();
    assert(left !== "policy-editor" && left !== "TEXTAREA", "Esc then Tab moves the focus on: " + left);
    assert((await editorValue(page)) === indented, "Esc then Tab does not change the text");
    await context.close();
  });

  test("newcomer: a file without requests says what to do instead of an empty summary", async () => {
    const { page, context } = await open(pageUrl, { viewport: { width: 1280, height: 800 } });
    await page.click("details.advanced > summary");
    const file = JSON.stringify({ version: 1, key: { arn: "arn:aws:kms:us-west-2:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab" }, requests: [] });
    await page.fill("[data-testid=advanced-editor]", file);
    await page.waitForSelector("[data-testid=no-requests]", { timeout: 5000 });
    assert(await page.isVisible("[data-testid=no-requests]"), "the what-to-do line is visible");
    assert((await page.textContent("[data-testid=no-requests]")).trim().length > 0, "and says something");
    assert((await page.$$("[data-testid=summary]")).length === 0, "no summary over nothing");
    assert((await page.$$("[data-testid=result-row]")).length === 0, "no rows");
    await page.screenshot({ path: path.join(shots, "no-requests.png") });
    await context.close();
  });

  // The exercise view has no rows of its own (its goals are checked as the
  // policy is edited): the exercise's policy, as pasted from the
  // documentation, is tried in the playground under the exercise's scenario.
  test("newcomer: the fix for the documentation's placeholders writes the values in place", async () => {
    const ex = await open(pageUrl + "?exercise=documents-placeholders", { viewport: { width: 1280, height: 800 } }, "[data-testid=goal]");
    const published = await editorValue(ex.page);
    assert(published.includes("account-id") && published.includes("trail-name"), "the exercise starts from the placeholders");
    await ex.context.close();
    const { page, context } = await open(pageUrl, { viewport: { width: 1280, height: 800 } });
    await typePolicy(page, published);
    await page.selectOption("[data-testid=scenario-picker]", "cloudtrail-trail");
    await page.waitForSelector("[data-testid=result-row][data-as-it-should=false] [data-testid=fix-suggest]");
    await page.locator("[data-testid=result-row][data-as-it-should=false] [data-testid=fix-suggest]").first().click();
    await page.waitForSelector("[data-testid=fix]", { timeout: 15000 });
    const fix = page.locator("[data-testid=fix]").first();
    assert((await fix.getAttribute("data-code")) === "fill-placeholders", "the first fix fills the placeholders: " + (await fix.getAttribute("data-code")));
    const diff = (await fix.locator("pre.diff").textContent()).split("\n");
    assert(diff.some((l) => l.startsWith("-") && l.includes("account-id")), "the diff takes out account-id");
    assert(diff.some((l) => l.startsWith("+") && l.includes("111111111111")), "the diff writes 111111111111");
    const long = diff.filter((l) => l.length > 170);
    assert(long.length === 0, `diff lines longer than 170 characters: ${long.map((l) => l.length).join()}`);
    await fix.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, "fix-placeholders.png") });
    await fix.locator("[data-testid=fix-apply]").click();
    await page.waitForFunction(() => !document.querySelector("[data-testid=policy-editor]").value.includes("account-id"), null, { timeout: 10000 }).catch(() => {});
    const fixed = await editorValue(page);
    assert(!fixed.includes("account-id") && !fixed.includes("trail-name"), "no placeholder left: " + fixed);
    assert(!fixed.includes("(2)"), "corrected in place, not beside a copy: " + fixed);
    assert(JSON.parse(fixed).Statement.length === JSON.parse(published).Statement.length, "as many statements as before");
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, "fix-placeholders-applied.png") });
    await context.close();
  });
}
