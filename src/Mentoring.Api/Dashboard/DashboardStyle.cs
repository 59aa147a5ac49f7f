namespace Mentoring.Api.Dashboard;

/// <summary>
/// The dashboard's one stylesheet, served from <see cref="DashboardPaths.Stylesheet"/> so pages need no inline style
/// (a CSP of style-src 'self' holds). Phone first: one column, tables scroll inside their box, never the page.
/// </summary>
internal static class DashboardStyle
{
    public const string Css = """
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#f6f8fa}
        a{color:#0969da}
        header.top{display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;padding:10px 16px;background:#24292f;color:#fff}
        header.top .brand{font-weight:600;overflow-wrap:anywhere}
        header.top nav{display:flex;flex-wrap:wrap;gap:4px 14px}
        header.top nav a{color:#fff;text-decoration:none;padding:2px 0}
        header.top nav a[aria-current=page]{border-bottom:2px solid #fd8c73}
        header.top form{margin:0 0 0 auto}
        header.top button{background:transparent;color:#fff;border:1px solid #57606a}
        main{max-width:1100px;margin:0 auto;padding:16px}
        h1{font-size:22px;margin:4px 0 12px;overflow-wrap:anywhere}
        h2{font-size:18px;margin:24px 0 8px}
        h3{font-size:16px;margin:0 0 6px}
        p,li,td,dd{overflow-wrap:anywhere}
        th{overflow-wrap:normal}
        .muted{color:#57606a}
        .notice{padding:10px 12px;border:1px solid #54aeff;background:#ddf4ff;border-radius:6px}
        .notice.error{border-color:#ff8182;background:#ffebe9}
        .figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;margin:0;padding:0}
        .figures div{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px}
        .figures dt{color:#57606a;font-size:13px}.figures dd{margin:0;font-size:22px;font-weight:600}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:10px}
        .card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px;min-width:0}
        .card.weak{border-left:4px solid #bf8700}
        .sessions{list-style:none;padding:0;margin:0;display:grid;gap:10px}
        .sessions h2{margin-top:0}
        .scroll{overflow-x:auto;max-width:100%}
        table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #d0d7de}
        th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d0d7de;vertical-align:top}
        th{background:#f6f8fa;font-weight:600}
        td.num,th.num{text-align:right;white-space:nowrap}
        table.wide{min-width:640px}table.wide td,table.wide th{overflow-wrap:normal}
        figure.chart{margin:0 0 12px;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px;min-width:0}
        figure.chart svg{display:block;width:100%;height:auto}
        figure.chart figcaption{font-weight:600;margin-bottom:6px}
        figure.chart table{margin-top:8px;font-size:13px}
        .bar{fill:#0969da}.bar.alt{fill:#1a7f37}.bar.warn{fill:#bf8700}
        svg text{font:12px sans-serif;fill:#1f2328}
        form.inline{display:inline-block;margin:4px 8px 4px 0}
        form.stack{display:grid;gap:6px;max-width:520px;margin:8px 0}
        label{font-weight:600}
        input,select,textarea,button{font:inherit;max-width:100%}
        input[type=text],input[type=search],input[type=password],input[type=email],select,textarea{width:100%;padding:6px 8px;border:1px solid #d0d7de;border-radius:6px;background:#fff}
        button{padding:6px 14px;border:1px solid #d0d7de;border-radius:6px;background:#f6f8fa;cursor:pointer}
        button.primary{background:#1f883d;border-color:#1a7f37;color:#fff}
        button.danger{background:#cf222e;border-color:#a40e26;color:#fff}
        .filters{display:grid;grid-template-columns:1fr;gap:6px;margin-bottom:12px}
        @media (min-width:700px){.filters{grid-template-columns:2fr 1fr auto;align-items:end}}
        ul.reasons{margin:6px 0;padding-left:18px}
        @media (max-width:599px){
        table.stack,table.stack tbody,table.stack tr,table.stack th,table.stack td{display:block;width:100%}
        table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
        table.stack tr{border-bottom:1px solid #d0d7de;padding:6px 0}
        table.stack th,table.stack td{border:0;padding:2px 10px;background:none}
        table.stack td::before{content:attr(data-label) ": ";color:#57606a;font-weight:600}
        }
        .diff .gone{color:#a40e26}.diff .new{color:#1a7f37}
        """;
}
