export declare const nodeRedEntry: string;
export declare const settingsFile: string;
export declare const examplesFlowFile: string;
export declare const testFlowsFile: string;
export declare const sampleDataDir: string;
export declare const parentWatchFile: string;
