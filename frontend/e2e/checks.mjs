// Checks of what a page looks like, run in the browser: nothing wider
// than its container, no word broken in the middle, text readable on its
// background. Each returns a list of problems, empty when the page is fine.

/**
 * Saves a screenshot of the whole page, as tall as its content: the
 * window's content scrolls inside <main>, which a full-page shot misses.
 */
export async function fullShot(page, file) {
  const size = page.viewportSize();
  const tall = await page.evaluate(() => document.querySelector('main')?.scrollHeight ?? 0);
  if (tall > size.height) await page.setViewportSize({ width: size.width, height: tall });
  await page.screenshot({ path: file });
  if (tall > size.height) await page.setViewportSize(size);
}

/** Elements that stick out of the box that should hold them. */
export function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const describe = (el) => {
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const text = (el.textContent || '').trim().slice(0, 40);
      return `<${el.tagName.toLowerCase()}${cls}> "${text}"`;
    };
    const doc = document.scrollingElement;
    if (doc.scrollWidth > innerWidth + 1) problems.push(`the page scrolls sideways: ${doc.scrollWidth} > ${innerWidth}`);
    const main = document.querySelector('main');
    if (main.scrollWidth > main.clientWidth + 1) problems.push(`the content scrolls sideways: ${main.scrollWidth} > ${main.clientWidth}`);
    const scrolls = (el) => {
      const s = getComputedStyle(el);
      return /(auto|scroll)/.test(s.overflowX) || /(auto|scroll)/.test(s.overflow);
    };
    for (const el of document.querySelectorAll('body *')) {
      const s = getComputedStyle(el);
      if (s.display === 'none' || s.visibility === 'hidden' || s.position === 'fixed' || s.position === 'absolute') continue;
      if (el.closest('.visually-hidden, svg, dialog:not([open])')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      // Text cut without an ellipsis ("permissio"): a box that hides what it holds.
      if (s.overflowX === 'hidden' && s.textOverflow !== 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && !el.closest('.cm-editor')) {
        problems.push(`${describe(el)} cuts its content: ${el.scrollWidth} > ${el.clientWidth}`);
      }
      const parent = el.parentElement;
      if (!parent || parent === document.body) continue;
      // Inside a scroll container, content may be wider: it scrolls.
      let box = parent;
      while (box && box !== document.body && !scrolls(box) && getComputedStyle(box).display === 'contents') box = box.parentElement;
      if (!box || scrolls(box)) continue;
      const p = box.getBoundingClientRect();
      if (r.right > p.right + 1 || r.left < p.left - 1) {
        problems.push(`${describe(el)} (${Math.round(r.left)}–${Math.round(r.right)}) is wider than ${describe(box)} (${Math.round(p.left)}–${Math.round(p.right)})`);
      }
    }
    return [...new Set(problems)].slice(0, 20);
  });
}

/** Words (not paths or code) that the layout broke across two lines. */
export function brokenWords(page) {
  return page.evaluate(() => {
    const problems = [];
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('.break-anywhere, pre, .cm-editor, .visually-hidden, .clip, .row-button')) continue;
      const text = n.textContent;
      for (const m of text.matchAll(/\S{2,}/g)) {
        const range = document.createRange();
        range.setStart(n, m.index);
        range.setEnd(n, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) problems.push(`"${m[0]}" is broken across lines in <${el.tagName.toLowerCase()} class="${el.className}">`);
      }
    }
    return problems.slice(0, 20);
  });
}

/**
 * Text whose contrast with what is behind it is below WCAG AA (4.5:1, or
 * 3:1 for large text), and placeholders that look like values. Disabled
 * controls are exempt, as WCAG has them.
 */
export function contrastProblems(page) {
  return page.evaluate(() => {
    const canvas = document.createElement('canvas').getContext('2d');
    const rgba = (css) => {
      // The canvas turns any CSS colour (color-mix, color(srgb …)) into rgb.
      canvas.fillStyle = '#000';
      canvas.fillStyle = css;
      canvas.fillRect(0, 0, 1, 1);
      canvas.clearRect(0, 0, 1, 1);
      canvas.fillStyle = css;
      canvas.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = canvas.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const over = (top, under) => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
    };
    const lum = ([r, g, b]) => {
      const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (x, y) => {
      const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p);
      return (a + 0.05) / (b + 0.05);
    };
    const background = (el) => {
      const chain = [];
      for (let e = el; e; e = e.parentElement) chain.push(e);
      let bg = [255, 255, 255, 1];
      for (const e of chain.reverse()) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) bg = over(c, bg);
      }
      return bg;
    };
    const problems = [];
    const seen = new Set();
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('svg, .visually-hidden, dialog:not([open])')) continue;
      const own = [...el.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
      if (!own) continue;
      const s = getComputedStyle(el);
      if (s.visibility === 'hidden' || s.display === 'none') continue;
      if (el.closest(':disabled, [aria-disabled="true"]')) continue;
      let opacity = 1;
      for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
      if (opacity < 1) continue; // fading (a disabled look) is checked as disabled
      const bg = background(el);
      const fg = over(rgba(s.color), bg);
      const size = parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      const need = large ? 3 : 4.5;
      const r = ratio(fg, bg);
      const key = `${s.color}|${bg.join(',')}`;
      if (r < need && !seen.has(key)) {
        seen.add(key);
        problems.push(`"${el.textContent.trim().slice(0, 30)}" <${el.tagName.toLowerCase()} class="${el.className}">: ${r.toFixed(2)}:1, needs ${need}:1`);
      }
    }
    for (const input of document.querySelectorAll('input[placeholder]:not(:disabled)')) {
      const bg = background(input);
      const value = ratio(over(rgba(getComputedStyle(input).color), bg), bg);
      const ph = getComputedStyle(input, '::placeholder');
      const pr = ratio(over(rgba(ph.color), bg), bg);
      if (pr < 3 || !(ph.fontStyle === 'italic' || value / pr >= 1.4)) {
        problems.push(`the placeholder "${input.placeholder}" (${pr.toFixed(2)}:1, ${ph.fontStyle}) reads like a value (${value.toFixed(2)}:1)`);
      }
    }
    return problems.slice(0, 20);
  });
}
