/// <reference lib="dom" />
import { realCalls, waitFor } from "@cad/db/testing";
import {
  openConsole,
  screenshot,
  useServerAndChromium,
} from "./support/browser";

describe("a dispatcher takes a call with the keyboard only and sees the incident with the units dispatched to it", () => {
  const env = useServerAndChromium("keyboard");

  it("N opens the form, Enter creates the call, the new incident is selected with its units, and ? lists the shortcuts", async () => {
    const { page, errors, context } = await openConsole(
      env.browser,
      env.server,
    );
    const call = realCalls().find((c) => c.type === "Medical Incident")!;

    await page.keyboard.press("n");
    await page.waitForSelector("#call-dialog[open]");
    await page.keyboard.type("Medical Incident");
    await page.keyboard.press("Tab"); // priority
    await page.keyboard.press("1");
    await page.keyboard.press("Tab"); // address
    await page.keyboard.type(call.address);
    await page.keyboard.press("Tab"); // lat
    await page.keyboard.press("Control+A");
    await page.keyboard.type(String(call.lat));
    await page.keyboard.press("Tab"); // lon
    await page.keyboard.press("Control+A");
    await page.keyboard.type(String(call.lon));
    await page.keyboard.press("Enter");
    await page.waitForSelector("#call-dialog:not([open])", {
      state: "attached",
      timeout: 10000,
    });

    // The incident arrives over the socket and is selected; its detail card lists the units.
    const selected = await page.waitForFunction(
      () => (window as any).__cadConsole.selected(),
      null,
      { timeout: 30000 },
    );
    const incidentId = (await selected.jsonValue()) as string;
    const features = await page.evaluate(() =>
      (window as any).__cadConsole.features(),
    );
    if (features.recommendations) {
      // With recommendations, the dispatcher accepts them with A.
      await page.waitForSelector("#detail .rec", { timeout: 20000 });
      await page.keyboard.press("a");
    }
    const rows = await waitFor(
      async () => {
        const r = await env.server.db.query<{ unit_id: string }>(
          `SELECT unit_id FROM assignment WHERE incident_id = $1`,
          [incidentId],
        );
        return r.rowCount ? r.rows : null;
      },
      30000,
      "assignments",
    );
    for (const { unit_id } of rows) {
      await page.waitForSelector(
        `#detail .asg-line[data-unit-id="${unit_id}"]`,
        { timeout: 10000 },
      );
      await page.waitForSelector(
        `.incident-row.selected .asg[data-unit-id="${unit_id}"]`,
        { timeout: 10000 },
      );
    }
    const row = await page.textContent(".incident-row.selected");
    expect(row).toContain("Medical Incident");
    expect(row).toContain(call.address);
    expect(await page.textContent(".incident-row.selected .chip")).toBe("P1");
    expect(await page.$("#active-list .incident-row.selected")).not.toBeNull();

    await page.keyboard.press("?");
    await page.waitForSelector("#help-dialog[open]");
    expect(await page.textContent("#help-table")).toContain(
      "New call for service",
    );
    await page.keyboard.press("Escape");
    await screenshot(page, "console-new-call");
    expect(errors).toEqual([]);
    await context.close();
  });
});
