using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Mentoring.Server.Tests.Engagement.Reports;

/// <summary>Reads a downloaded .xlsx back with the Open XML SDK: sheet names, cell texts, and a cell's number format.</summary>
internal sealed class Workbook : IDisposable
{
    private readonly MemoryStream stream;
    private readonly SpreadsheetDocument document;

    private Workbook(byte[] bytes)
    {
        stream = new MemoryStream(bytes);
        document = SpreadsheetDocument.Open(stream, isEditable: false);
    }

    public static Workbook Open(byte[] bytes) => new(bytes);

    private WorkbookPart Part => document.WorkbookPart!;

    public IReadOnlyList<string> SheetNames => [.. Part.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!)];

    /// <summary>The sheet's rows as texts, each cell at its column (A = 0).</summary>
    public List<List<string>> Sheet(string name) =>
        [.. Rows(name).Select(row =>
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements<Cell>())
            {
                var column = Column(cell.CellReference!.Value!);
                while (cells.Count <= column)
                {
                    cells.Add("");
                }
                cells[column] = Text(cell);
            }
            return cells;
        })];

    /// <summary>The stored value and number format code of one cell (zero-based row and column).</summary>
    public (string Value, string Format) Cell(string sheet, int row, int column)
    {
        var cell = Rows(sheet).ElementAt(row).Elements<Cell>().Single(c => Column(c.CellReference!.Value!) == column);
        var style = Part.WorkbookStylesPart!.Stylesheet;
        var formatId = style.CellFormats!.Elements<CellFormat>().ElementAt((int)(cell.StyleIndex?.Value ?? 0)).NumberFormatId?.Value ?? 0;
        var format = style.NumberingFormats?.Elements<NumberingFormat>().FirstOrDefault(f => f.NumberFormatId?.Value == formatId)?.FormatCode?.Value ?? "General";
        return (Text(cell), format);
    }

    private IEnumerable<Row> Rows(string name)
    {
        var sheet = Part.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
        return ((WorksheetPart)Part.GetPartById(sheet.Id!.Value!)).Worksheet.GetFirstChild<SheetData>()!.Elements<Row>();
    }

    private static string Text(Cell cell) => cell.InlineString?.InnerText ?? cell.CellValue?.Text ?? "";

    private static int Column(string reference)
    {
        var column = 0;
        foreach (var c in reference.TakeWhile(char.IsLetter))
        {
            column = (column * 26) + (c - 'A' + 1);
        }
        return column - 1;
    }

    public void Dispose()
    {
        document.Dispose();
        stream.Dispose();
    }
}
