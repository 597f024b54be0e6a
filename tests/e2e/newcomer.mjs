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
