export declare const INSTALL_INPUTS: string[];
export declare const SPA_INPUTS: string[];
export declare const API_INPUTS: string[];
export declare const API_STAMP: string;
export declare const INSTALL_STAMP: string;
export declare const SPA_STAMP: string;
export declare function contentHash(root: string, inputs: string[], extra?: string): Promise<string>;
export declare function isStampCurrent(root: string, stamp: string, hash: string, mustExist?: string): Promise<boolean>;
export declare function writeStamp(root: string, stamp: string, hash: string): Promise<void>;
