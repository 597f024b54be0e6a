// End-to-end tests of the organization and guardrails panel: SCPs, RCPs,
// permissions boundaries, session policies and VPC endpoint policies on
// the page. Registered by run.mjs, which gives the helpers it shares.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bigPolicy, measureKeystrokes } from "./keystroke.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const CHAIN = JSON.parse(fs.readFileSync(path.join(here, "../playground/evaluation-chain.json"), "utf8"));

/** Puts a whole playground file on the page: the rest through the
 * advanced editor, the key policy through its editor. */
async function loadFile(page, file, typePolicy) {
  const rest = structuredClone(file);
  const policy = rest.key.policy;
  delete rest.key.policy;
  await page.evaluate((text) => {
    const area = document.querySelector("[data-testid=advanced-editor]");
    area.value = text;
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }, JSON.stringify(rest, null, 2));
  await typePolicy(page, typeof policy === "string" ? policy : JSON.stringify(policy, null, 2));
  await page.waitForSelector("[data-testid=guardrails] [data-testid=layer]");
}

/** Types `text` into the guardrail policy editor of `policyPath`. */
async function typeLayer(page, policyPath, edit) {
  await page.evaluate(
    ([p, e]) => {
      const area = document.querySelector(`[data-testid=layer][data-policy="${p}"] [data-testid=layer-input]`);
      area.value = e.from ? area.value.replace(e.from, e.to) : e.to;
      area.dispatchEvent(new Event("input", { bubbles: true }));
    },
    [policyPath, edit],
  );
  await page.waitForTimeout(50);
}

const rowAt = (page, i) => page.locator("[data-testid=result-row]").nth(i);

export function registerGuardrails({ test, open, typePolicy, decisions, assert, shots, pageUrl }) {
  test("guardrails: the panel shows the tree and every layer; a row names the layer that decided it, highlighted there", async () => {
    const { page, context } = await open();
    await loadFile(page, CHAIN, typePolicy);
    assert((await decisions(page)).length === CHAIN.requests.length, "every request decided");
    // The tree: root, OUs, accounts; the management account said so.
    const nodes = await page.$$eval("[data-testid=org-node]", (n) => n.map((x) => [x.dataset.node, x.dataset.kind]));
    assert(nodes[0].join() === "r-a1b2,root", "the root first: " + JSON.stringify(nodes));
    for (const id of ["ou-a1b2-workload", "ou-a1b2-sandbox", "111111111111", "222222222222", "999999999999"]) {
      assert(nodes.some(([n]) => n === id), `${id} in the tree: ${JSON.stringify(nodes)}`);
    }
    assert((await page.textContent("[data-node='999999999999']")).includes("management account"), "management account marked");
    // Every SCP, RCP, boundary, session and endpoint policy has an editor.
    const layers = await page.$$eval("[data-testid=layer]", (l) => l.map((x) => x.dataset.policy));
    for (const want of ["organization.scps.111111111111[0]", "organization.rcps.r-a1b2[0]", "identities[2].permissions_boundary", "requests[15].vpc_endpoint.policy"]) {
      assert(layers.includes(want), `${want} has an editor: ${layers.join()}`);
    }
    assert(layers.some((l) => l.includes(".session_policies[")), "session policies have editors");
    // Row 1 is denied by an SCP: the row says so in AWS's words.
    const row = rowAt(page, 1);
    assert((await row.getAttribute("data-decision")) === "explicitDeny", "row 1 denied");
    assert((await row.locator("[data-testid=deciding-layer]").getAttribute("data-policy-type")) === "scp", "decided by an SCP");
    const message = await row.locator("[data-testid=access-denied-message]").textContent();
    assert(message.endsWith("with an explicit deny in a service control policy"), "AWS's message: " + message);
    // Selecting it highlights the deciding statement in the SCP's editor,
    // not in the key policy's.
    await row.locator(".result-head").click();
    const scp = page.locator("[data-testid=layer][data-policy='organization.scps.111111111111[0]']");
    await scp.locator("[data-testid=layer-decided]").waitFor();
    const highlighted = await scp.locator(".layer-highlight .decided").allTextContents();
    assert(highlighted.join("").includes("NoKeyDeletion"), "the Deny statement is highlighted: " + highlighted.join(""));
    assert((await page.$$(".editor-highlight .decided")).length === 0, "nothing highlighted in the key policy");
    // The trace shows each SCP node from the root to the account.
    const traced = await page.$$eval("[data-testid=trace] [data-testid=trace-node]", (n) => n.map((x) => x.dataset.node));
    assert(traced.includes("r-a1b2") && traced.includes("111111111111"), "SCP nodes in the trace: " + traced.join());
    await page.screenshot({ path: path.join(shots, "guardrails.png"), fullPage: true });
    await row.screenshot({ path: path.join(shots, "guardrails-row.png") });
    await page.locator("[data-testid=org-tree]").screenshot({ path: path.join(shots, "guardrails-tree.png") });
    await scp.screenshot({ path: path.join(shots, "guardrails-scp.png") });
    // Editing the SCP re-decides: the deny no longer names the action.
    await typeLayer(page, "organization.scps.111111111111[0]", { from: '"kms:ScheduleKeyDeletion"', to: '"kms:CancelKeyDeletion"' });
    assert((await rowAt(page, 1).getAttribute("data-decision")) !== "explicitDeny", "no longer denied by the SCP");
    // A Principal in an SCP is a problem placed in the SCP's own text.
    await typeLayer(page, "organization.scps.111111111111[0]", { from: '"Sid": "AllowAll",', to: '"Sid": "AllowAll",\n      "Principal": "*",' });
    const findings = await scp.locator("[data-testid=layer-finding]").evaluateAll((f) => f.map((x) => [x.dataset.code, x.dataset.line]));
    const inScp = findings.find(([code]) => code === "principal-in-scp");
    assert(inScp && Number(inScp[1]) > 1, "principal-in-scp at its line: " + JSON.stringify(findings));
    assert((await scp.locator(".mark").count()) > 0, "underlined in the SCP");
    // Broken JSON in a layer: the text is kept, the problem placed, the page goes on.
    await typeLayer(page, "organization.rcps.r-a1b2[0]", { from: '"Version"', to: '"Version" "' });
    const rcp = page.locator("[data-testid=layer][data-policy='organization.rcps.r-a1b2[0]']");
    assert((await rcp.locator("[data-testid=layer-input]").inputValue()).includes('"Version" "'), "text kept");
    assert((await rcp.locator("[data-testid=layer-finding][data-severity=error]").count()) > 0, "the error is shown");
    assert((await decisions(page)).length === CHAIN.requests.length, "still decided");
    await context.close();
  });

  test("guardrails: Japanese, dark, and a plain phone width", async () => {
    for (const [name, options] of [
      ["guardrails-ja-dark.png", { colorScheme: "dark", locale: "ja-JP" }],
      ["guardrails-phone.png", { viewport: { width: 390, height: 844 } }],
    ]) {
      const { page, context } = await open(pageUrl + (options.locale ? "?lang=ja" : ""), options);
      await loadFile(page, CHAIN, typePolicy);
      if (options.locale) {
        const title = await page.textContent("[data-testid=guardrails] summary");
        assert(title.includes("組織とガードレール"), "Japanese title: " + title);
        const layer = await rowAt(page, 1).locator("[data-testid=deciding-layer]").textContent();
        assert(layer.includes("サービスコントロールポリシー"), "Japanese layer name: " + layer);
      } else {
        // Nothing of the panel sticks out of a plain phone viewport (the
        // page as a whole is checked by the phone-width test).
        const wide = await page.evaluate(() =>
          [...document.querySelectorAll("[data-testid=guardrails], [data-testid=guardrails] *, [data-testid=deciding-layer] *")]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
            .map((el) => el.className || el.tagName),
        );
        assert(wide.length === 0, "the panel fits a 390 px viewport: " + wide.slice(0, 5).join());
      }
      await rowAt(page, 4).locator(".result-head").click();
      await page.locator("[data-testid=layer][data-decided=true]").first().waitFor();
      await page.screenshot({ path: path.join(shots, name), fullPage: true });
      const part = name.replace(".png", "");
      await rowAt(page, 4).screenshot({ path: path.join(shots, `${part}-row.png`) });
      await page.locator("[data-testid=org-tree]").screenshot({ path: path.join(shots, `${part}-tree.png`) });
      await page.locator("[data-testid=layer][data-decided=true]").first().screenshot({ path: path.join(shots, `${part}-layer.png`) });
      await context.close();
    }
  });

  test("guardrails: a file without any starts an organization around the key's own account", async () => {
    const { page, context } = await open();
    await page.click("[data-testid=guardrails] summary");
    await page.click("[data-testid=add-organization]");
    await page.waitForSelector("[data-testid=org-tree]");
    const accounts = await page.$$eval("[data-testid=org-node][data-kind=account]", (n) => n.map((x) => x.dataset.node));
    const keyAccount = await page.evaluate(() => JSON.parse(document.querySelector("[data-testid=advanced-editor]").value).key.arn.split(":")[4]);
    assert(accounts.join() === keyAccount, `only the key's account (${keyAccount}): ${accounts.join()}`);
    assert((await page.$$("[data-testid=layer]")).length === 1, "its SCP is editable");
    assert((await decisions(page)).length === 4, "the example still decided");
    await context.close();
  });

  test("a keystroke in a 32 KB policy with five SCP nodes and two 5 KB RCPs is re-decided and rendered (figure)", async () => {
    const { page, context } = await open();
    const body = bigPolicy();
    // An RCP of about 5 KB: the identity perimeter, with many org paths.
    const rcp = (n) => {
      const paths = [];
      let doc = "";
      for (let i = 0; ; i++) {
        paths.push(`o-a1b2c3d4e5/r-a1b2/ou-a1b2-team${n}x${i}/*`);
        const next = JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Sid: `Perimeter${n}`, Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*",
            Condition: { "ForAllValues:StringNotLike": { "aws:PrincipalOrgPaths": paths }, Bool: { "aws:PrincipalIsAWSService": "false" } } }],
        });
        if (next.length > 5000) break;
        doc = next;
      }
      return doc;
    };
    const allowAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    const ous = ["ou-a1b2-one", "ou-a1b2-two", "ou-a1b2-three"];
    const file = {
      version: 1,
      key: { arn: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", policy: body },
      organization: {
        id: "o-a1b2c3d4e5",
        root: "r-a1b2",
        accounts: { "111111111111": ous, "222222222222": ous },
        // Five nodes with SCPs: the root, three OUs and the account.
        scps: Object.fromEntries(["r-a1b2", ...ous, "222222222222"].map((n) => [n, [allowAll]])),
        rcps: { "r-a1b2": [rcp(1)], "ou-a1b2-one": [rcp(2)] },
      },
      requests: [
        { principal: "arn:aws:iam::222222222222:user/reader3", action: "kms:Decrypt" },
        { principal: "arn:aws:iam::222222222222:user/reader4", action: "kms:DescribeKey" },
        { principal: "arn:aws:iam::222222222222:user/nobody", action: "kms:Decrypt" },
        { principal: "arn:aws:iam::111111111111:root", action: "kms:Decrypt" },
      ],
    };
    const rcpSizes = Object.values(file.organization.rcps).map((l) => l[0].length);
    await loadFile(page, file, typePolicy);
    const samples = 15;
    const { work, painted } = await measureKeystrokes(page, samples);
    const engine = await page.getAttribute(".page", "data-decide-ms");
    console.log(`    figure: ${body.length}-byte policy, 5 SCP nodes, RCPs of ${rcpSizes.join(" and ")} bytes, one keystroke: re-decided and laid out in ${work} ms (median of ${samples}; engine and findings ${engine} ms); next paint after ${painted} ms`);
    assert((await decisions(page)).length === 4, "still decided");
    assert((await page.$$("[data-testid=layer]")).length === 7, "five SCPs and two RCPs in the panel");
    await context.close();
  });
}
