// @ts-check
// (6) The extension's page in VS Code: the packaged VSIX's README renders in the Extensions view's
// editor with every image loaded — relative links would resolve against the page's webview, so the
// packaged README carries its screenshots inline — and it is the administrator's README.
import { check, poll } from '../workbench.mjs';

/** @type {import('../run.mjs').Scenario} */
export default {
  title: 'the packaged README renders with its images on the extension page',
  lab: 'steady',
  async run({ wb, page, shot }) {
    // The Extensions view (no gallery in the test server: it lists the installed extensions).
    await page.keyboard.press('Control+Shift+X');
    const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Lync Recovery' }).first();
    await row.waitFor();
    await row.click();
    await wb.waitForWebviewText(/Requirements[\s\S]*First steps/);
    const readme = await poll(async () => {
      for (const frame of page.frames()) {
        if (frame === page.mainFrame()) continue;
        const text = await frame.locator('body').innerText({ timeout: 1000 }).catch(() => '');
        if (/Requirements[\s\S]*First steps/.test(text)) return frame;
      }
      return undefined;
    }, { message: 'the README frame' });
    // Every image has finished loading, and none is broken (naturalWidth 0 = not found).
    const images = await poll(async () => {
      const all = await readme.locator('img').evaluateAll((imgs) => imgs.map((i) => {
        // (The harness has no DOM typings: the three properties read, typed by hand.)
        const img = /** @type {{ getAttribute(name: string): string | null, complete: boolean, naturalWidth: number }} */ (/** @type {unknown} */ (i));
        return { src: (img.getAttribute('src') ?? '').slice(0, 40), complete: img.complete, width: img.naturalWidth };
      }));
      return all.length > 0 && all.every((i) => i.complete) ? all : undefined;
    }, { message: 'the README images to finish loading' });
    // The packaged README carries its screenshots inline (scripts/package-readme.mjs).
    const screenshots = images.filter((i) => i.src.startsWith('data:image/png;base64,'));
    check(screenshots.length >= 8, `the README shows its screenshots (found ${screenshots.length}: ${JSON.stringify(images)})`);
    const broken = images.filter((i) => i.width === 0);
    check(broken.length === 0, `every README image loads; broken: ${JSON.stringify(broken)}`);
    await shot('readme-page');
  },
};
