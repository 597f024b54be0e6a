// What the keystroke figures of run.mjs and guardrails.mjs share: the
// 32 KB key policy they type into, and the measurement itself.

/** A key policy of just under 32,000 bytes: reader statements with a
 * condition each. */
export function bigPolicy() {
  const statements = [];
  let body = "";
  for (let i = 0; ; i++) {
    const s = `{"Sid":"Reader ${i}","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:user/reader${i}"},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*","Condition":{"StringEquals":{"kms:ViaService":"s3.us-west-2.amazonaws.com"}}}`;
    const next = `{"Version":"2012-10-17","Statement":[${[...statements, s].join(",\n")}]}`;
    if (next.length > 32000) break;
    statements.push(s);
    body = next;
  }
  return body;
}

/** Types `samples` keystrokes (a space after the closing bracket, typed
 * or deleted) and returns the medians, in ms as text: the work of each
 * (re-decided, rendered, style and layout forced) and the next paint. */
export async function measureKeystrokes(page, samples = 15) {
  const work = [];
  const painted = [];
  for (let i = 0; i < samples; i++) {
    const [w, p] = await page.evaluate(async (i) => {
      const area = document.querySelector("[data-testid=policy-editor]");
      area.value = area.value.replace(/\}\]\}\s*$/, i % 2 ? "}]}" : "}]} ");
      const start = performance.now();
      area.dispatchEvent(new Event("input", { bubbles: true }));
      // Yew renders from its scheduler: wait for that task, then force
      // style and layout, which is the work of the keystroke.
      await new Promise((r) => setTimeout(r, 0));
      void document.body.offsetHeight;
      const work = performance.now() - start;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return [work, performance.now() - start];
    }, i);
    work.push(w);
    painted.push(p);
  }
  const median = (a) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)].toFixed(1);
  return { work: median(work), painted: median(painted) };
}
