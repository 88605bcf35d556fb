import { vapiTools } from "@voxanne/contracts";
import { activeServiceNames, findServiceByKeyword } from "../../../modules/services/queries";
import { costsVerb, formatPrice, listOr, spokenDuration } from "../speech";
import { toolHandler } from "./types";

/** "Fillers cost $500, and a fillers consultation takes about half an hour." */
export function priceSentence(name: string, price: number, durationMinutes: number, currency: string): string {
  const visit = /^consultation$/i.test(name.trim()) ? "a consultation" : `a ${name.toLowerCase()} consultation`;
  return `${name} ${costsVerb(name)} ${formatPrice(price, currency)}, and ${visit} takes ${spokenDuration(durationMinutes)}.`;
}

export const getServicePriceTool = toolHandler(
  vapiTools.getServicePrice,
  async (args, ctx) => {
    const words = args.service;
    if (!words)
      return {
        error: { say: "Which treatment would you like a price for?", instructions: "Call getServicePrice again with the treatment's name, like Botox." },
      };
    const service = await findServiceByKeyword(ctx.db, ctx.clinic.orgId, words);
    if (!service) {
      const names = await activeServiceNames(ctx.db, ctx.clinic.orgId);
      return {
        result: { say: `I don't have a price for that. The clinic offers ${listOr(names)}.`, instructions: "Ask which of these treatments the caller means." },
        outcome: "unknown_service",
      };
    }
    return {
      result: { say: priceSentence(service.name, service.price, service.durationMinutes, ctx.clinic.currency) },
      outcome: "price_quoted",
    };
  },
  { readOnly: true },
);
