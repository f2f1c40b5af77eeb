import { detectElectronBinary } from '../../scripts/electron-binary.mjs';

/** Says once, up front, why every desktop spec is skipped here (the list reporter only shows "-"). */
export default function globalSetup(): void {
  const found = detectElectronBinary();
  if (!found.present) console.log(`Skipping the Electron specs: ${found.reason}.`);
}
