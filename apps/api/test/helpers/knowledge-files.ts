/**
 * Real documents for knowledge-base tests, generated in the test (nothing fetched): a PDF drawn
 * with pdf-lib and a DOCX written with docx, each with headings and paragraphs.
 */
import { Document, HeadingLevel, Packer, Paragraph } from "docx";
import { PDFDocument, StandardFonts } from "pdf-lib";

export type Section = { heading: string; paragraphs: string[] };

/** A one-column PDF: each heading on its own line, paragraphs wrapped at ~80 characters. */
export async function makePdf(sections: Section[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage([612, 792]);
  let y = 740;
  const line = (text: string, f = font, size = 11) => {
    if (y < 60) {
      page = doc.addPage([612, 792]);
      y = 740;
    }
    page.drawText(text, { x: 56, y, size, font: f });
    y -= size + 6;
  };
  for (const section of sections) {
    line(section.heading, bold, 14);
    for (const paragraph of section.paragraphs) {
      let current = "";
      for (const word of paragraph.split(" ")) {
        if (`${current} ${word}`.trim().length > 80) {
          line(current);
          current = word;
        } else current = `${current} ${word}`.trim();
      }
      if (current) line(current);
      y -= 6;
    }
  }
  return Buffer.from(await doc.save());
}

export async function makeDocx(sections: Section[]): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: sections.flatMap((s) => [new Paragraph({ text: s.heading, heading: HeadingLevel.HEADING_1 }), ...s.paragraphs.map((p) => new Paragraph(p))]),
      },
    ],
  });
  return Packer.toBuffer(doc);
}
