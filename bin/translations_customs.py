# ruff: noqa: E501 — a table of sentences
"""Issue 21's words for `bin/translate-core.py`: electronic pre-declarations, carriers, the world's
markets, webhooks — (msgid, fr, sw, zh_Hans) rows. A translator's own wording in the .po file wins."""

ROWS = [
    # --- Pre-declarations
    ("Pre-cleared: declared to customs before the parcel arrives", "Pré-dédouané : déclaré à la douane avant l'arrivée du colis", "Imeshaidhinishwa mapema: imetangazwa forodhani kabla kifurushi hakijafika", "已预先清关：包裹到达前已向海关申报"),
    ("Customs declaration lodged with the destination e-hub before arrival.", "Déclaration en douane déposée auprès de l'e-hub de destination avant l'arrivée.", "Tamko la forodha limewasilishwa kwenye e-hub ya mwisho kabla ya kufika.", "已在到达前向目的地 e-hub 提交海关申报。"),
    ("importer", "importateur", "mwagizaji", "进口方"),
    ("exporter", "exportateur", "msafirishaji nje", "出口方"),
    ("VAT scheme", "régime de TVA", "mpango wa VAT", "增值税征收方案"),
    ("complete and consistent", "complète et cohérente", "kamili na linaloendana", "完整且一致"),
    ("what is missing or inconsistent", "ce qui manque ou ne concorde pas", "kinachokosekana au kisichoendana", "缺失或不一致之处"),
    ("built", "établie le", "liliandaliwa", "生成时间"),
    ("VAT collected under", "TVA perçue au titre de", "VAT imekusanywa chini ya", "增值税征收依据"),
    ("Complete: lodged ahead, the parcel clears on arrival", "Complète : déposée d'avance, le colis est dédouané à l'arrivée", "Kamili: limewasilishwa mapema, kifurushi kinaidhinishwa kikifika", "完整：已提前申报，包裹到达即可清关"),
    ("Incomplete: customs will inspect the parcel", "Incomplète : la douane inspectera le colis", "Halijakamilika: forodha itakagua kifurushi", "不完整：海关将查验包裹"),
    ("Exporter", "Exportateur", "Msafirishaji nje", "出口方"),
    ("Importer", "Importateur", "Mwagizaji", "进口方"),
    ("No declaration for a consignment of yours with this id.", "Aucune déclaration pour un envoi à vous portant cet identifiant.", "Hakuna tamko kwa mzigo wako wenye kitambulisho hiki.", "您没有此编号发货单的申报。"),
    ("declaration number", "numéro de déclaration", "namba ya tamko", "申报编号"),
    ("duties and taxes collected", "droits et taxes perçus", "ushuru na kodi zilizokusanywa", "已收取的关税和税款"),
    ("importer's country", "pays de l'importateur", "nchi ya mwagizaji", "进口方国家"),
    ("exporter's country", "pays de l'exportateur", "nchi ya msafirishaji nje", "出口方国家"),
    ("shipped from", "expédié de", "imetumwa kutoka", "发货地"),
    ("VAT scheme number", "numéro d'enregistrement TVA", "namba ya mpango wa VAT", "增值税登记号"),
    ("customs declaration", "déclaration en douane", "tamko la forodha", "海关申报"),
    ("customs declarations", "déclarations en douane", "matamko ya forodha", "海关申报"),
    ("declaration", "déclaration", "tamko", "申报"),
    ("line", "ligne", "mstari", "行"),
    ("origin", "origine", "asili", "原产地"),
    ("unit value", "valeur unitaire", "thamani ya kipande", "单价"),
    ("total value", "valeur totale", "thamani jumla", "总价值"),
    ("declaration line", "ligne de déclaration", "mstari wa tamko", "申报行"),
    ("declaration lines", "lignes de déclaration", "mistari ya tamko", "申报行"),
    ("Customs declaration %(number)s", "Déclaration en douane %(number)s", "Tamko la forodha %(number)s", "海关申报 %(number)s"),
    ("Incoterm", "Incoterm", "Incoterm", "贸易术语"),
    ("Declared value", "Valeur déclarée", "Thamani iliyotangazwa", "申报价值"),
    ("Duties and taxes collected", "Droits et taxes perçus", "Ushuru na kodi zilizokusanywa", "已收取的关税和税款"),
    # --- Carriers
    ("Suspend: re-route its parcels on other carriers' lanes", "Suspendre : dévier ses colis sur les lignes d'autres transporteurs", "Simamisha: pitisha vifurushi vyake kwenye njia za wasafirishaji wengine", "暂停：将其包裹改由其他承运商的线路运输"),
    ("Suspended by an operator", "Suspendu par un opérateur", "Imesimamishwa na mwendeshaji", "已由运营人员暂停"),
    ("Suspended; their parcels are being re-routed.", "Suspendus ; leurs colis sont déviés.", "Imesimamishwa; vifurushi vyao vinapitishwa njia nyingine.", "已暂停；其包裹正在改道。"),
    ("Resume", "Reprendre", "Endelea", "恢复"),
    ("Resumed.", "Repris.", "Imeendelea.", "已恢复。"),
    ("service levels", "niveaux de service", "viwango vya huduma", "服务等级"),
    ("carrier", "transporteur", "msafirishaji", "承运商"),
    ("carriers", "transporteurs", "wasafirishaji", "承运商"),
    ("tracking prefix", "préfixe de suivi", "kiambishi cha ufuatiliaji", "追踪号前缀"),
    ("operating", "en service", "inafanya kazi", "运营中"),
    ("why suspended", "motif de la suspension", "sababu ya kusimamishwa", "暂停原因"),
    ("The carrier of %(origin)s → %(destination)s is suspended", "Le transporteur de %(origin)s → %(destination)s est suspendu", "Msafirishaji wa %(origin)s → %(destination)s amesimamishwa", "%(origin)s → %(destination)s 的承运商已暂停"),
    ("by %(names)s", "par %(names)s", "na %(names)s", "由 %(names)s 承运"),
]

PLURAL_ROWS: dict = {}

ENTRIES = {msgid: {"fr": fr, "sw": sw, "zh_Hans": zh} for msgid, fr, sw, zh in ROWS}
