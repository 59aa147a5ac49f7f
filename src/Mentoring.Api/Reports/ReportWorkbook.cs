using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Mentoring.Core.Engagement.Reports;

namespace Mentoring.Api.Reports;

/// <summary>
/// The report as an .xlsx workbook (Open XML SDK): one sheet per breakdown, a bold header row, rates stored as fractions
/// with a percentage format, so Excel, LibreOffice and Google Sheets show "42.5%" in any locale and still compute with it.
/// </summary>
public static class ReportWorkbook
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string PercentFormat = "0.0%";

    private const uint HeaderStyle = 1;
    private const uint PercentStyle = 2;
    private const uint PercentFormatId = 164; // the first id free for custom number formats

    public static byte[] Write(IReadOnlyList<ReportTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            workbook.AddNewPart<WorkbookStylesPart>().Stylesheet = Styles();
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            uint sheetId = 1;
            foreach (var table in tables)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                part.Worksheet = new Worksheet(Sheet(table));
                sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = sheetId++, Name = table.Name });
            }
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    private static SheetData Sheet(ReportTable table)
    {
        var data = new SheetData();
        var header = new Row { RowIndex = 1 };
        var headers = new[] { table.SegmentHeader }.Concat(table.Columns).ToList();
        for (var c = 0; c < headers.Count; c++)
        {
            header.Append(Text(c, 1, headers[c], HeaderStyle));
        }
        data.Append(header);
        uint rowIndex = 2;
        foreach (var (segment, cells) in table.Rows)
        {
            var row = new Row { RowIndex = rowIndex };
            row.Append(Text(0, rowIndex, segment, 0));
            for (var c = 0; c < cells.Count; c++)
            {
                if (cells[c].Value is { } value)
                {
                    row.Append(new Cell
                    {
                        CellReference = Reference(c + 1, rowIndex),
                        DataType = CellValues.Number,
                        CellValue = new CellValue(value.ToString("R", CultureInfo.InvariantCulture)),
                        StyleIndex = cells[c].IsRate ? PercentStyle : 0,
                    });
                }
            }
            data.Append(row);
            rowIndex++;
        }
        return data;
    }

    private static Cell Text(int column, uint row, string text, uint style) => new()
    {
        CellReference = Reference(column, row),
        DataType = CellValues.InlineString,
        InlineString = new InlineString(new Text(text)),
        StyleIndex = style,
    };

    /// <summary>"A1", "AB7": spreadsheet column letters from a zero-based index.</summary>
    private static string Reference(int column, uint row)
    {
        var letters = "";
        for (var n = column + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }
        return letters + row.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The smallest stylesheet Excel accepts: default, bold header, percentage.</summary>
    private static Stylesheet Styles() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = PercentFormatId, FormatCode = PercentFormat }) { Count = 1 },
        new Fonts(new Font(), new Font(new Bold())) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { NumberFormatId = PercentFormatId, ApplyNumberFormat = true }) { Count = 3 });
}
