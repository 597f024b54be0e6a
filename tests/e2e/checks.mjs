// End-to-end tests of the "Policy checks" panel (issue #18, part 3): what
// changed against the baseline, with counterexamples that one click adds
// as request rows; outside access and lockout; who can call an operation.
// The checks run in the second module a moment after typing stops, never
// on the keystroke path. Registered by run.mjs.

import path from "node:path";
import { bigPolicy } from "./keystroke.mjs";

const OPEN_TO_ANOTHER_ACCOUNT = {
  Sid: "Let account 444455556666 decrypt",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::444455556666:root" },
  Action: "kms:Decrypt",
  Resource: "*",
};

async function checksResult(page, testid) {
  return page.$eval(`[data-testid=${testid}]`, (s) => s.dataset.result);
}

async function waitResult(page, testid, result) {
  await page.waitForFunction(
    ([t, r]) => document.querySelector(`[data-testid=${t}]`)?.dataset.result === r,
    [testid, result],
    { timeout: 15000 },
  );
}

export function registerChecks({ test, open, typePolicy, decisions, assert, shots, pageUrl }) {
  const widened = async (page) => {
    const policy = JSON.parse(await page.inputValue("[data-testid=policy-editor]"));
    policy.Statement.push(OPEN_TO_ANOTHER_ACCOUNT);
    return JSON.stringify(policy, null, 2);
  };

  test("policy checks: an edit that opens the key to another account fails, its counterexample becomes a row, marking the baseline passes it", async () => {
    const { page, context } = await open();
    await page.waitForSelector("[data-testid=check-changed]", { timeout: 15000 });
    assert((await checksResult(page, "check-changed")) === "pass", "the policy as loaded grants nothing new");
    const rowsBefore = (await decisions(page)).length;

    await typePolicy(page, await widened(page));
    await waitResult(page, "check-changed", "fail");
    const proof = await page.textContent("[data-testid=check-changed] .proofs li");
    assert(proof.includes("444455556666"), "the counterexample names the new account: " + proof);
    assert((await checksResult(page, "check-public")) === "fail", "another account can use the key");
    const who = await page.$$eval("[data-testid=who-can-row] th", (t) => t.map((x) => x.textContent));
    assert(who.some((w) => w.includes("444455556666")), "who can decrypt lists the account: " + who.join(" | "));

    await page.click("[data-testid=check-changed] [data-testid=check-add]");
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=result-row]").length === n + 1, rowsBefore, { timeout: 5000 });
    const last = page.locator("[data-testid=result-row]").last();
    assert((await last.getAttribute("data-decision")) === "allowed", "the engine allows the counterexample");
    assert((await last.getAttribute("class")).includes("selected"), "the added row is selected");

    await page.click("[data-testid=check-mark]");
    await waitResult(page, "check-changed", "pass");

    // Who can: another operation.
    await page.selectOption("[data-testid=who-can-operation]", "PutKeyPolicy");
    await page.waitForFunction(() => document.querySelector("[data-testid=who-can] p")?.textContent.includes("kms:PutKeyPolicy"), null, { timeout: 5000 });
    await context.close();
  });

  test("policy checks: a policy without its account's root statement fails the lockout check, a finding in the editor too", async () => {
    const { page, context } = await open();
    await page.waitForSelector("[data-testid=check-lockout]", { timeout: 15000 });
    const policy = {
      Version: "2012-10-17",
      Statement: [{ ...OPEN_TO_ANOTHER_ACCOUNT }],
    };
    await typePolicy(page, JSON.stringify(policy, null, 2));
    await waitResult(page, "check-lockout", "fail");
    const verdict = await page.textContent("[data-testid=check-lockout] .verdict");
    assert(verdict.includes("PutKeyPolicy"), verdict);
    // The check's failures are findings in the editor too: the lockout
    // (an error) and the statement that lets the other account in.
    await page.waitForSelector("[data-testid=finding][data-code=analysis-lockout][data-severity=error]", { timeout: 5000 });
    const outside = await page.$eval("[data-testid=finding][data-code=analysis-outside-access]", (f) => f.dataset.line);
    assert(outside === "4", "the outside-access finding is on the statement's line: " + outside);
    // Typing drops them until the checks have run on the new text.
    await typePolicy(page, JSON.stringify(policy, null, 2) + " ");
    assert((await page.$$("[data-testid=finding][data-code=analysis-lockout]")).length === 0, "stale findings are not shown");
    await page.waitForSelector("[data-testid=finding][data-code=analysis-lockout]", { timeout: 5000 });
    await context.close();
  });

  test("policy checks of two 32 KB key policies, in the page's wasm (figure)", async () => {
    const { page, context } = await open();
    await page.waitForSelector("[data-testid=check-changed]", { timeout: 15000 });
    const big = bigPolicy();
    await typePolicy(page, big);
    await page.waitForFunction(() => document.querySelector("[data-testid=checks]")?.dataset.noNewAccessMs !== undefined, null, { timeout: 30000 });
    await page.click("[data-testid=check-mark]");
    await waitResult(page, "check-changed", "pass");
    // The edit: one more reader, in another account.
    const edited = big.replace('"arn:aws:iam::222222222222:user/reader0"', '"arn:aws:iam::333333333333:user/reader0"');
    assert(edited !== big, "the edit changes the policy");
    const figures = [];
    for (let i = 0; i < 5; i++) {
      await typePolicy(page, i % 2 ? big : edited);
      await waitResult(page, "check-changed", i % 2 ? "pass" : "fail");
      figures.push(await page.$eval("[data-testid=checks]", (c) => [Number(c.dataset.noNewAccessMs), Number(c.dataset.checksMs)]));
    }
    const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`    figure: ${big.length}-byte key policies, no-new-access in the page's wasm: ${median(figures.map((f) => f[0])).toFixed(1)} ms (median of 5); all four checks ${median(figures.map((f) => f[1])).toFixed(1)} ms`);
    await context.close();
  });

  test("policy checks: in English and Japanese, light and dark, at 1280×800 and on a 390×844 phone", async () => {
    for (const [name, url, options] of [
      ["checks-desktop.png", pageUrl, { viewport: { width: 1280, height: 800 } }],
      ["checks-ja-dark.png", pageUrl + "?lang=ja", { viewport: { width: 1280, height: 800 }, locale: "ja-JP", colorScheme: "dark" }],
      ["checks-phone.png", pageUrl, { viewport: { width: 390, height: 844 } }],
      ["checks-ja-dark-phone.png", pageUrl + "?lang=ja", { viewport: { width: 390, height: 844 }, locale: "ja-JP", colorScheme: "dark" }],
    ]) {
      const { page, context } = await open(url, options);
      await page.waitForSelector("[data-testid=check-changed]", { timeout: 15000 });
      await typePolicy(page, await widened(page));
      await waitResult(page, "check-changed", "fail");
      const heading = await page.textContent("[data-testid=checks] h2");
      assert(url.includes("lang=ja") ? heading === "ポリシーのチェック" : heading === "Policy checks", name + ": " + heading);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(overflow <= 1, `${name}: no sideways scroll (${overflow} px)`);
      await page.locator("[data-testid=checks]").screenshot({ path: path.join(shots, name) });
      await context.close();
    }
  });
}
