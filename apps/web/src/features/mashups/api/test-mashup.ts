import { MashupTestResultSchema, type MashupTestResult, type TestMashupBody } from "@status/shared";
import { useMutation } from "@tanstack/react-query";
import { apiClient } from "@/lib/api-client.ts";

interface TestMashupVariables {
  mashupId: string;
  body: TestMashupBody;
}

/** DEVELOPER or ADMIN. Calls the flow once and stores nothing; 504 `mashup_timeout`, 503 `service_unavailable`. */
export async function testMashup({ mashupId, body }: TestMashupVariables): Promise<MashupTestResult> {
  const response = await apiClient.post(`/mashups/${encodeURIComponent(mashupId)}/test`, body);
  return MashupTestResultSchema.parse(response.data);
}

export function useTestMashup() {
  return useMutation({ mutationFn: testMashup });
}
