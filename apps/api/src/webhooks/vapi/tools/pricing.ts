import { activeServiceNames, findServiceByKeyword } from "../../../modules/services/queries";
import { argString, type ToolArgs } from "../args";
import { formatPrice } from "../speech";
import { registerVapiTool, type ToolContext, type ToolOutcome } from "./registry";

export async function getServicePrice(args: ToolArgs, ctx: ToolContext): Promise<ToolOutcome> {
  const words = argString(args, "service", 200) ?? (typeof args.query === "string" ? args.query.slice(0, 200) : undefined);
  if (!words) return { error: "Which treatment is the caller asking about? Call getServicePrice with its name, like Botox." };
  const service = await findServiceByKeyword(ctx.db, ctx.clinic.orgId, words);
  if (!service) {
    const names = await activeServiceNames(ctx.db, ctx.clinic.orgId);
    return { result: `I don't have a price for "${words.slice(0, 60)}". Services with prices: ${names.join(", ")}.`, outcome: "unknown_service" };
  }
  return {
    result: `${service.name} costs ${formatPrice(service.price)} and takes about ${service.durationMinutes} minutes.`,
    outcome: "price_quoted",
  };
}

registerVapiTool("getServicePrice", getServicePrice, { readOnly: true });
