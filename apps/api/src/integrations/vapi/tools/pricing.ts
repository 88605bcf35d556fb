import { vapiTools } from "@voxanne/contracts";
import { activeServiceNames, findServiceByKeyword } from "../../../modules/services/queries";
import { formatPrice } from "../speech";
import { toolHandler } from "./types";

export const getServicePriceTool = toolHandler(
  vapiTools.getServicePrice,
  async (args, ctx) => {
    const words = args.service;
    if (!words) return { error: "Which treatment is the caller asking about? Call getServicePrice with its name, like Botox." };
    const service = await findServiceByKeyword(ctx.db, ctx.clinic.orgId, words);
    if (!service) {
      const names = await activeServiceNames(ctx.db, ctx.clinic.orgId);
      return { result: `I don't have a price for "${words.slice(0, 60)}". Services with prices: ${names.join(", ")}.`, outcome: "unknown_service" };
    }
    return {
      result: `${service.name} costs ${formatPrice(service.price, ctx.clinic.currency)} and takes about ${service.durationMinutes} minutes.`,
      outcome: "price_quoted",
    };
  },
  { readOnly: true },
);
