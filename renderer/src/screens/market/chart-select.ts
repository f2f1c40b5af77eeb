/**
 * Shift + drag on the sum chart selects a span of time and zooms to it (a plain drag still pans).
 * The band is drawn in the DOM over the pane; lightweight-charts' own drag is paused meanwhile.
 */
import type { IChartApi } from 'lightweight-charts';

export class DragSelect {
  private readonly band: HTMLDivElement;
  private startX: number | null = null;

  constructor(
    private readonly host: HTMLElement,
    private readonly chart: IChartApi,
  ) {
    this.band = document.createElement('div');
    this.band.className = 'chart-select';
    this.band.setAttribute('data-testid', 'sum-select');
    host.appendChild(this.band);
    host.addEventListener('mousedown', this.down, true);
  }

  destroy(): void {
    this.host.removeEventListener('mousedown', this.down, true);
    window.removeEventListener('mousemove', this.move);
    window.removeEventListener('mouseup', this.up);
    this.band.remove();
  }

  private x(e: MouseEvent): number {
    const w = this.chart.timeScale().width();
    return Math.min(w, Math.max(0, e.clientX - this.host.getBoundingClientRect().left));
  }

  private readonly down = (e: MouseEvent): void => {
    if (!e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    this.startX = this.x(e);
    this.chart.applyOptions({ handleScroll: { pressedMouseMove: false } });
    window.addEventListener('mousemove', this.move);
    window.addEventListener('mouseup', this.up);
    this.draw(this.startX);
  };

  private readonly move = (e: MouseEvent): void => this.draw(this.x(e));

  private readonly up = (e: MouseEvent): void => {
    window.removeEventListener('mousemove', this.move);
    window.removeEventListener('mouseup', this.up);
    this.chart.applyOptions({ handleScroll: { pressedMouseMove: true } });
    this.band.style.display = 'none';
    const a = this.startX;
    this.startX = null;
    if (a === null) return;
    const b = this.x(e);
    if (Math.abs(b - a) < 8) return;
    const ts = this.chart.timeScale();
    const from = ts.coordinateToLogical(Math.min(a, b));
    const to = ts.coordinateToLogical(Math.max(a, b));
    if (from !== null && to !== null) ts.setVisibleLogicalRange({ from, to });
  };

  private draw(x: number): void {
    const a = this.startX;
    if (a === null) return;
    this.band.style.display = 'block';
    this.band.style.left = `${Math.min(a, x)}px`;
    this.band.style.width = `${Math.abs(x - a)}px`;
    this.band.style.bottom = `${this.chart.timeScale().height()}px`;
  }
}
