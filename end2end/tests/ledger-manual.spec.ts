// Entries made by hand in a ledger (手工登记): the director enters an asset bought outside the
// system; it shows in the asset ledger marked as made by hand, with who made it and why; a
// reason-less entry is refused at its field; voiding it takes a reason and keeps it on record.
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, OfficeFlowServer, signIn } from "../support/server";

const server = new OfficeFlowServer();

test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

test("an asset entered by hand shows in the ledger until voided, and stays on record", async ({ page }, info) => {
  await page.setViewportSize({ width: 1440, height: 1100 });
  await signIn(page, server.url, "director", DEMO_PASSWORD, "/ledgers/assets");
  await expect(page.getByTestId("ledger-name")).toHaveText("《资产台账》");
  const manual = page.getByTestId("ledger-manual");
  await expect(manual).toContainText("尚无手工登记");

  // Without a reason: refused at the field, nothing entered.
  await page.getByTestId("ledger-manual-add").click();
  const form = page.getByTestId("ledger-manual-form");
  await form.locator('input[data-column="asset"]').fill("投影仪 EB-X51");
  await form.locator('input[data-column="custodian"]').fill("李强");
  await page.getByTestId("ledger-manual-save").click();
  await expect(form.locator(".form__field--invalid")).toHaveCount(1);
  await expect(form).toContainText("请写明原因");

  // With one: entered, the form closes and the table shows it marked as made by hand.
  await form.locator("#manual-entry-note").fill("系统上线前购置");
  await form.locator("#manual-entry-department").selectOption("财务部");
  await page.getByTestId("ledger-manual-save").click();
  await expect(form).toHaveCount(0);
  const row = page.getByTestId("ledger-table").locator("tbody tr", { has: page.getByTestId("ledger-manual-row") });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("投影仪 EB-X51");
  await expect(row).toContainText("系统上线前购置");
  await expect(row).toContainText("财务部");
  const line = page.getByTestId("ledger-manual-record").locator("li");
  await expect(line).toHaveCount(1);
  await expect(line).toContainText("有效");
  await page.screenshot({ path: info.outputPath("ledger-manual-1440.png"), fullPage: true });

  // Voided with a reason: gone from the table, kept on record with who, when and why.
  await line.getByTestId("ledger-manual-void").click();
  await line.locator('input[name="reason"]').fill("重复登记");
  await line.getByTestId("ledger-manual-void-confirm").click();
  await expect(page.getByTestId("ledger-manual-voided")).toContainText("重复登记");
  await expect(page.getByTestId("ledger-manual-row")).toHaveCount(0);
  await expect(page.getByTestId("ledger-manual-record").locator("li.is-voided")).toHaveCount(1);
});
