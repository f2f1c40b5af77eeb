export declare const projectRoot: string;
export type ElectronBinary = { present: true; path: string } | { present: false; reason: string };
export declare function detectElectronBinary(opts?: { root?: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform }): ElectronBinary;
