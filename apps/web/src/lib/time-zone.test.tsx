import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { TimeZoneToggle } from "@/components/ui/time-zone-toggle.tsx";
import { formatInstant, formatWindow } from "./format.ts";
import { setPrefersUtc, useTimeZone } from "./time-zone.ts";

function Window({ catalogTimeZone }: { catalogTimeZone: string }) {
  const { timeZone } = useTimeZone(catalogTimeZone);
  return <p data-testid="window">{formatWindow("2025-06-01T22:00:00Z", "2025-06-02T22:00:00Z", timeZone)}</p>;
}

afterEach(() => act(() => setPrefersUtc(false)));

describe("one time zone per screen", () => {
  it("formats an instant and a window in the zone given", () => {
    expect(formatInstant("2025-06-01T22:00:00Z", "Europe/Madrid")).toMatch(/2 Jun 2025|Jun 2, 2025/);
    expect(formatInstant("2025-06-01T22:00:00Z", "UTC")).toMatch(/1 Jun 2025|Jun 1, 2025/);
    expect(formatWindow("2025-06-01T22:00:00Z", "2025-06-02T22:00:00Z", "Europe/Madrid")).toMatch(/00:00|12:00/);
  });

  it("labels the catalog's zone and switches every date on the screen to UTC, remembered in localStorage", async () => {
    render(
      <>
        <TimeZoneToggle catalogTimeZone="Europe/Madrid" />
        <Window catalogTimeZone="Europe/Madrid" />
      </>,
    );
    expect(screen.getByTestId("time-zone")).toHaveTextContent("Times in Europe/Madrid");
    const before = screen.getByTestId("window").textContent;

    await userEvent.click(screen.getByRole("checkbox", { name: "UTC" }));

    expect(screen.getByTestId("time-zone")).toHaveTextContent("Times in UTC");
    expect(screen.getByTestId("window").textContent).not.toBe(before);
    expect(localStorage.getItem("status.timeZone.utc")).toBe("1");
  });
});
