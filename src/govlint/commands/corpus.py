"""``govlint corpus add|remove|stats``: maintain the reference corpus index DUP002 uses."""

from __future__ import annotations

from typing import List

import typer

INDEX_HELP = "索引：SQLite 文件路径、redis:// URL 或 redis+cluster:// URL（默认 .govlint/corpus.sqlite）"


def _fail(message: str):
    typer.echo(f"govlint: 错误：{message}", err=True)
    raise typer.Exit(2)


def _open(index: str, create: bool):
    from govlint.corpus import CorpusError, open_index
    try:
        return open_index(index, create=create)
    except CorpusError as exc:
        _fail(str(exc))


def register(app: typer.Typer) -> None:
    from govlint.corpus import DEFAULT_INDEX

    corpus_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                             help="管理对照语料索引（往年报告），供 DUP002 比对抄袭。")
    app.add_typer(corpus_app, name="corpus")

    @corpus_app.command("add")
    def add(paths: List[str] = typer.Argument(..., help="报告文件或目录"),
            index: str = typer.Option(DEFAULT_INDEX, "--index", help=INDEX_HELP)):
        """把报告加入索引；未改动的文件跳过，改动过的文件替换原条目。"""
        from pathlib import Path
        from govlint.corpus import CorpusError
        for p in paths:
            if not Path(p).exists():
                _fail(f"{p}: 文件不存在")
        ix = _open(index, create=True)
        try:
            counts = ix.add_paths(paths)
        except CorpusError as exc:
            _fail(str(exc))
        for path, msg in counts["errors"]:
            typer.echo(f"govlint: 跳过 {path}: {msg}", err=True)
        typer.echo(f"新增 {counts['added']} 篇，更新 {counts['updated']} 篇，未变 {counts['unchanged']} 篇"
                   f"（索引 {index}，共 {ix.n_docs()} 篇）")
        ix.close()
        if counts["errors"] and not (counts["added"] or counts["updated"] or counts["unchanged"]):
            raise typer.Exit(2)

    @corpus_app.command("remove")
    def remove(paths: List[str] = typer.Argument(..., help="要移出索引的报告文件或目录"),
               index: str = typer.Option(DEFAULT_INDEX, "--index", help=INDEX_HELP)):
        """从索引中移除报告（目录：移除其下全部已索引的文件）。"""
        from govlint.corpus import CorpusError
        ix = _open(index, create=False)
        try:
            removed, missing = ix.remove_paths(paths)
        except CorpusError as exc:
            _fail(str(exc))
        for m in missing:
            typer.echo(f"govlint: 索引中没有 {m}", err=True)
        typer.echo(f"移除 {removed} 篇（索引 {index}，剩余 {ix.n_docs()} 篇）")
        ix.close()

    @corpus_app.command("stats")
    def stats(index: str = typer.Option(DEFAULT_INDEX, "--index", help=INDEX_HELP),
              json_: bool = typer.Option(False, "--json", help="以 JSON 输出")):
        """显示索引中的文档数、字符数和指纹数。"""
        from govlint.corpus import CorpusError
        ix = _open(index, create=False)
        try:
            st = ix.stats()
        except CorpusError as exc:
            _fail(str(exc))
        ix.close()
        if json_:
            import json
            typer.echo(json.dumps(st, ensure_ascii=False, indent=2))
            return
        labels = {"backend": "后端", "location": "位置", "documents": "文档数", "characters": "字符数",
                  "fingerprints": "指纹数", "distinct_fingerprints": "不同指纹数", "paragraphs": "段落签名数",
                  "bytes": "文件大小（字节）", "redis_used_memory": "Redis 服务器已用内存（字节，整个服务器；集群为各主节点之和）",
                  "shards": "分片数", "schema_version": "格式版本"}
        for k, v in st.items():
            typer.echo(f"{labels.get(k, k)}：{v}")
