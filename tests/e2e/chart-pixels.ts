import type { Locator, Page } from '@playwright/test';

/** Pixels of one column of the chart that are (close to) the line colour, read from a screenshot. */
export async function linePixelsInColumn(page: Page, chart: Locator, x: number): Promise<number> {
  const png = (await chart.screenshot()).toString('base64');
  return page.evaluate(
    async ({ png, x }) => {
      const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bmp.width, bmp.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bmp, 0, 0);
      const hex = getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() || '#3d8bfd';
      const [lr, lg, lb] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
      const col = Math.round(x * (bmp.width / canvas.width));
      const data = ctx.getImageData(col - 1, 0, 3, bmp.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i]! - lr) < 40 && Math.abs(data[i + 1]! - lg) < 40 && Math.abs(data[i + 2]! - lb) < 40) n += 1;
      }
      return n;
    },
    { png, x },
  );
}
