type OpenAIModule = typeof import("openai");

let loaded: OpenAIModule | undefined;

/**
 * The `openai` SDK (~23 MB resident) is loaded on the first AI call rather than at start: most installations make
 * none, and the API's idle memory is what the embedded default is judged by.
 */
export async function loadOpenAI(): Promise<OpenAIModule> {
  loaded ??= await import("openai");
  return loaded;
}

/** The SDK if an AI call loaded it; an error can only be one of its classes once it is loaded. */
export function loadedOpenAI(): OpenAIModule | undefined {
  return loaded;
}
