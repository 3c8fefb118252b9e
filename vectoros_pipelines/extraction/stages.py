"""Where a deal stands, from what the message says: stage hint and won/lost outcome (English and German).

A stage word alone is not evidence: "ideally we'd have the agreement signed by May", "could you send
us a proposal?" and "I'll set up a demo" all name a stage the deal has *not* reached. So every match
is checked against its sentence: negated, asked, requested, conditional or planned mentions do not
count, and the most advanced stage that the message states as done wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vectoros_pipelines.extraction.stage_guards import asked_for, counts, guessed_loss

# Who the other vendor is varies (a competitor's name, "another vendor"); what we must not read as a
# loss is the customer choosing *us* or going ahead ("decided to go with you / ahead / the proposal").
_NOT_US = (r"(?!you\b|your\b|yours\b|us\b|ahead\b|it\b|this\b|that\b|the (?:proposal|offer|quote|contract|agreement|order)"
           r"|option\b|plan\b|[\w-]+ (?:option|plan|package|edition|tier)\b)")
_OTHER = r"(?:another|a different|an alternative|an other|a competing|a competitor'?s?|an? (?:existing|incumbent|other)|other)"
_VENDOR = (r"(?:vendor|provider|supplier|partner|solution|company|firm|offer|product|platform|tool|option|agency|consultancy"
           r"|integrator|bidder|contractor)s?")

# Strongest evidence first: a message that says "signed" is closed even if it also mentions the proposal.
_STAGE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("closed_lost",
     r"decided to go (?:with|in) " + _OTHER + r" (?:" + _VENDOR + r"|direction)"
     r"|(?:decided|chose|elected|opted) to (?:go|proceed|move forward|continue|partner|work) with " + _NOT_US + r"[A-Z\w]"
     r"|(?:have |'ve |has )?(?:chosen|selected|picked|gone with|went with|opted for|awarded (?:the (?:contract|business|deal) |it )?to|signed with)"
     r" " + _OTHER + r" " + _VENDOR +
     r"|(?:going|go|stay|staying|stick|sticking|remain) with (?:our |the )?(?:current|existing|incumbent) " + _VENDOR +
     r"|(?:going|go|gone|went|head(?:ing)?) in (?:a|another) (?:different )?direction"
     r"|mark(?:ed|ing)? (?:it |this |the deal |the opportunity )?(?:as )?closed[- ]lost"
     r"|(?:went|go|going) with (?:a |another |the )?competitor|chose (?:another|a different) " + _VENDOR +
     r"|(?:not|won't be|will not be|aren't|are not) (?:be )?(?:moving forward|proceeding|going ahead)"
     r"|not (?:going|able|in a position) to (?:proceed|move forward|go ahead)"
     r"|decided (?:not to|against) (?:proceed|move forward|moving forward|purchas|buy|go ahead|going ahead|pursu|renew|this|the|your)"
     r"|(?:project|initiative|budget|funding|purchase|deal|opportunity) (?:has been |was |got |have been |is being |is )?"
     r"(?:cancelled|canceled|shelved|frozen|cut|pulled|killed|scrapped|withdrawn)"
     r"|no longer (?:interested|pursuing|moving forward|in the market|looking)|(?:have|need|going) to pass on"
     r"|(?:going|go|went|gone) with " + _OTHER + r" " + _VENDOR +
     r"|(?:were|was|have|has) not (?:been )?selected|unsuccessful (?:this time|on this occasion)|closed[- ]lost|we lost (?:the deal|them|it|this)"
     r"|für (?:einen anderen|eine andere|ein anderes|einen Wettbewerber|den Wettbewerb|einen Mitbewerber)\b[^.!?\n]{0,30}entschieden"
     r"|für (?:den|die|das|einen|eine) (?:[\w-]+ )?(?:mitbewerber|wettbewerber|konkurrenten|konkurrenz|konkurrenzanbieter|anderen anbieter"
     r"|anderen lieferanten|anderen hersteller)\b[^.!?\n]{0,40}entschieden"
     r"|(?:auf|ins (?:jahr )?|bis) (?:20\d\d|nächstes jahr|kommendes jahr|das nächste jahr|das kommende jahr) (?:verschoben|vertagt|zurückgestellt)"
     r"|(?:uns|sich)\b[^.!?\n]{0,60}\bfür (?!(?:sie|ihr|ihre|ihren|ihnen|euch|eure|die|das|den|dem|eine|ein|einen|unsere?n?|diese[nrs]?)\b)[^.!?\n]{1,40} entschieden"
     r"|gegen (?:sie|ihr angebot|ihre lösung|eine zusammenarbeit|das angebot)\b[^.!?\n]{0,20}entschieden|dagegen entschieden"
     r"|nicht (?:weiter ?(?:verfolgen|zu verfolgen|führen|zu führen)|fortsetzen|fortführen|umsetzen)|zuschlag[^.!?\n]{0,40}ander|(?:leider|müssen)[^.!?\n]{0,30}absagen|leider (?:eine )?absage|absage erteilen"
     r"|projekt (?:wurde |ist )?(?:gestoppt|abgesagt|auf eis gelegt|eingestellt)"
     r"|budget (?:wurde |ist )?(?:gestrichen|gekürzt|eingefroren)|kein budget mehr|zuschlag (?:ging|geht|wurde) an"
     r"|(?:beim|bei unserem) (?:bestehenden|aktuellen|bisherigen) (?:anbieter|lieferanten|dienstleister) bleiben"
     r"|nicht (?:den )?zuschlag|nicht zum zuge"
     # The customer names who won instead, a freeze, or an indefinite postponement (reps close those as lost).
     r"|(?:decided|chose|opted|went|voted) (?:for|on|in favou?r of) (?:the (?:offer|proposal|quote|bid|solution) (?:of|from) )?"
     r"(?:our |a |an |another |the |their )?(?:local |other |existing |current |incumbent |cheaper |regional |alternative |competing )?"
     r"(?:supplier|vendor|provider|competitor|integrator|bidder|agency|consultancy|firm)\b"
     r"|award(?:ed|ing)? (?:(?:the|this|our) )?(?:[\w&-]+ ){0,4}?to (?:another|a different|an other|a competing|the other|a local)"
     r"|(?:on hold|paused) (?:until|till|for) (?:next year|20\d\d|the (?:foreseeable|near) future|further notice)"
     r"|(?:put|putting|placed) (?:the project|this|it|the initiative|everything)(?: [\w-]+)? on (?:hold|ice)"
     r"|postpon(?:e|ed|ing) (?:the project |this |it |the initiative |everything )?(?:until|to|till|into) (?:next year|20\d\d)"
     r"|(?:investment|budget|spending|capex) freeze|(?:not|not to|n't) (?:be )?tak(?:e|ing) (?:this|it|things) (?:any )?(?:further|forward)"
     r"|froze[n]? (?:all )?(?:[\w-]+ ){0,2}(?:spend|spending|budgets?|investments?|purchases|purchasing)\b"
     r"|(?:we'll|we will|going to|have decided to) pass (?:for now|this time|on this)"
     r"|anders entschieden|(?:projekt|vorhaben|investition|thema|retrofit|umbau)\b[^.!?\n]{0,30}\b(?:zurückstellen|zurückgestellt|auf eis)"
     r"|investitionsstopp|investitionen (?:wurden |sind )?(?:gestoppt|eingefroren)|auf (?:nächstes|kommendes) jahr verschoben"
     r"|(?:tender|bid|proposal|submission|offer|quote|pitch)s? (?:has|have|was|were) not (?:been )?successful"
     r"|(?:intends? to |decided to |will )?award (?:the (?:contract|business|tender|work) )?to "
     + _NOT_US + r"[A-Z]"
     r"|(?:board|management|works council|committee|cfo|ceo)\b[^.!?\n]{0,60}\b(?:rejected|declined|turned down|vetoed)"
     r"|bleiben\b[^.!?\n]{0,40}\bbei (?:unserem|unseren|unserer|dem|der|den) (?:bestehenden|bisherigen|aktuellen|jetzigen|alten)"
     r"|(?:betriebsrat|geschäftsführung|geschäftsleitung|vorstand|aufsichtsrat|gremium)\b[^.!?\n]{0,80}\babgelehnt"
     r"|(?:projekt|thema|vorhaben) ist (?:damit |hiermit |leider )?(?:für uns )?(?:beendet|gestorben|vom tisch)"
     # How else people say no: not pursuing, a named winner, no budget or grant, doing it in-house,
     # keeping what they have, "it didn't go your way", a close second.
     r"|(?:not|n't) (?:be )?(?:pursu(?:e|ing)|progress(?:ing)?) (?:this|it|the (?:project|matter|opportunity|proposal|offer))"
     r"|\b(?:we|they|management|leadership|the board|the committee|the client|the customer|customer|client|procurement|the team"
     r"|our (?:ceo|cfo|cto|leadership|management|board|team))\b(?: have| has|'ve)?"
     r"(?: finally| ultimately| eventually| now)? (?:went with|gone with|signed with|picked|opted for) (?!you\b|your\b|us\b|it\b|this\b)"
     r"(?:(?:the|a) (?:cheaper|cheapest|lower[- ]cost|less expensive|local|in-house|bigger|larger|other|competing|rival) [\w-]+"
     r"|(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August"
     r"|September|October|November|December|Option|Plan|Package|Tier|Version|Phase|Variant)\b)(?-i:[A-Z])[\w&.-]+)"
     r"|(?:budget|funding|grant|capex|investment)\b[^.!?\n]{0,25}? (?:was |has been |got |is |were |)"
     r"(?:not approved|denied|rejected|refused|declined|turned down|unsuccessful|not granted|not released)"
     r"|(?:funding|budget|the deal|financing) (?:fell|has fallen|fall) through"
     r"|(?:budget|förderung|fördermittel|finanzierung|förderantrag|investitionsantrag)\b[^.!?\n]{0,40}\b(?:nicht genehmigt|nicht bewilligt|abgelehnt|nicht freigegeben)"
     r"|(?:decided|decision|chose|opted|going|plan|will|'ll) to (?:build|develop|do|handle|keep|solve|run)\b[^.!?\n]{0,30}\b(?:in-house|in house|internally|ourselves)"
     r"|\b(?:build|develop|do|handle|solve) (?:it|this|that|the \w+) (?:in-house|in house|internally|ourselves) instead"
     r"|(?:decided|decision|chose|opted|going|will|'ll|plan) to (?:keep|stay with|stick with|continue with|extend (?:our|the) (?:contract|agreement) with|renew with)"
     r" (?:our |the )?(?:current|existing|incumbent|present|old|in-house)\b"
     r"|(?:will|'ll|shall) (?:keep|stay with|stick with|continue with) (?:our |the )(?:current|existing|incumbent) "
     r"(?:system|solution|supplier|provider|vendor|setup|tool|partner|agency)s?\b(?![^.!?\n]{0,30}\b(?:until|till|while|during|in parallel)\b)"
     r"|(?:decided|decision|chose|opted|going|will|'ll) to (?:stay|stick) with (?!you\b|your\b|us\b)[\w-]+ (?:for now|for the time being|this year)"
     r"|(?:werden|wollen|möchten) (?:das|es|dies) (?:\w+ )?(?:intern|inhouse|selbst) (?:lösen|umsetzen|entwickeln|machen)"
     r"|machen (?:das|es) (?:jetzt|nun|lieber|doch) (?:intern|selbst|inhouse)\b"
     r"|(?:revisit (?:this |it |the (?:topic|project|idea) )?|pick (?:this|it) (?:back )?up |come back to (?:this|it) )"
     r"(?:next year|in 20\d\d|in the new year)"
     r"|hold off (?:until|till|on this until) (?:next year|20\d\d|the new year)"
     r"|(?:verschieben|vertagen|schieben) (?:wir )?(?:das|es|dies|den|die)? ?(?:thema|projekt|vorhaben|ganze)? ?(?:auf|ins) (?:20\d\d|nächstes jahr|kommende jahr|kommendes jahr)"
     r"|(?:we'll|we will|we're going to|we are going to|have to|must|will have to) pass\b(?!\s+(?:[\w']+\s+)?(?:on|along|over|to|through|by)\b)"
     r"|it'?s a no from (?:us|our side|me)"
     r"|(?:decision|choice|vote) (?:didn't|did not|has not|hasn't|does not|doesn't) (?:go|gone|fall|fallen|come out) (?:your way|in your favou?r)"
     r"|(?:decision|choice) (?:has |have )?(?:gone|went|fell) the other way|(?:were|came|finished) (?:a )?(?:close|very close|narrow) second"
     r"|(?:were|was|are|is|have|has) not (?:been )?successful (?:this time|on this occasion|in this (?:tender|process|round))"
     r"|nicht zu (?:ihren|euren|deinen) gunsten|(?:auftrag|zuschlag|projekt)\b[^.!?\n]{0,30}\ban (?:einen|einem|eine) (?:anderen |andere )?(?:mitbewerber|wettbewerber|anbieter|bieter)\b[^.!?\n]{0,15}vergeben"
     r"|(?:wahl (?:fiel|ist|ging)|(?:fiel|ging) (?:die |unsere )?wahl) (?:leider )?(?:auf|an) (?:einen|eine|ein) (?:anderen|andere|anderes|mitbewerber|wettbewerber)"
     r"|\b(?:haben|hat|habe|wurde|wurden|ist|sind)\b[^.!?\n]{0,60}\ban (?:den|die|das) (?!sie\b)(?:[\w-]+ ){1,4}(?:vergeben|gegeben)\b"
     r"|award(?:ed|ing)? (?:the (?:contract|business|project|tender|work|framework) )?to (?:a )?(?:competitor|competing|rival)"
     r"|(?:won't|will not|are not|aren't|not) (?:be )?renew(?:ing)?\b(?!\s+(?:until|before|with (?:our|the)|our|the))"
     r"|(?:deal|opportunity|opp|project|purchase|initiative) (?:is|was|has been) (?:lost|off|dead|off the table)\b"
     r"|^lost\b|\blost to [A-Z]"
     r"|\bwent (?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July"
     r"|August|September|October|November|December|Live|Dark|Quiet|Silent|Ahead|Back|Home|Out|Over|Through|Well|Smoothly"
     r"|OK|Okay|Fine|Great|Brilliant|Perfect|Smooth|Badly|Wrong|Down|Up|Off|On|Missing|Public|Viral|Bust|Pear)\b)"
     r"(?-i:[A-Z])[\w&.-]+(?= *(?:[.,;!]|$|instead|in the end|after all))"
     r"|(?:going to|'re going to|we'll|we will|decided to|have to|need to) hold off\b(?! (?:for|until|till|on|with)\b)"
     r"|(?:it'?s|that'?s|the answer is) a (?:hard |firm |clear )?no\b(?![\w-])(?! (?:show|go)\b)"
     r"|(?:can't|cannot|can not|unable to|won't be able to|will not be able to|not able to|not in a position to)"
     r" (?:continue|proceed|go ahead|move forward|move ahead|pursue|invest|purchase|buy)\b"
     r"(?![^.!?\n]{0,40}\b(?:until|before|without|unless|yet|today|this week|tomorrow)\b| (?:more|over|beyond|above|mehr)\b)"
     r"|(?:all|any) (?:new |further |ongoing |current )?(?:projects|initiatives|investments|purchases|spending|spend)"
     r" (?:are|is|have been|has been|were) (?:now |currently )?(?:on hold|frozen|stopped|cancelled|canceled|suspended)"
     r"|projekte?\b[^.!?\n]{0,40}?\b(?:wurden |wurde |werden |sind |ist )?(?:vorerst |vorläufig |bis auf weiteres |leider )*"
     r"(?:gestoppt|abgesagt|eingestellt|auf eis gelegt|storniert)\b"
     r"|(?:didn't|did not|won't|will not) (?:get|receive|secure|win|be awarded) (?:the |our |any )?(?:grant|funding|budget|approval|förderung)"
     r"|(?:funding|grant|budget|financing)\b[^.!?\n]{0,20}\b(?:didn't|did not|hasn't|has not|never) come through"
     r"|\bantrag\b[^.!?\n]{0,25}\b(?:abgelehnt|nicht bewilligt|nicht genehmigt)"
     r"|no (?:more )?budget (?:left|anymore|any more|for this (?:anymore|any more|year|next year)|this year|next year)"
     r"|kein budget (?:mehr|übrig)"
     r"|(?:postpone[sd]?|on hold|put off|deferred) indefinitely|auf unbestimmte zeit (?:verschoben|zurückgestellt|verschieben)"
     r"|(?:go|take|going|taking|went) (?:a|another) (?:different )?(?:route|path)\b(?! to\b)"
     r"|(?:not|won't be|will not be|aren't|are not) (?:be )?moving ahead"
     r"|(?:chosen|choose|chose|decided|elected|opted) to (?:partner|work|go|proceed|move forward|continue) with (?:another|a different|an other"
     r"|a competing|the other|other) "
     r"|(?:stick|stay|continue|keep going) with what we (?:have|already have|use|already use)"
     r"|decided (?:not to|against) (?:invest|sign|buy|purchase|go ahead|proceed)"
     r"|no longer a priority|deprioriti[sz]ed|pull(?:ing|ed)? the plug"
     r"|(?:go|going|stay|staying|stick|sticking|remain|continue) with the incumbent\b"
     r"|(?:board|committee|management|leadership|they|we)\b[^.!?\n]{0,15}\b(?:voted|decided) (?:against|no on) "
     r"(?:it|this|the (?:proposal|project|purchase|investment|offer))"
     r"|(?:not|isn't|is not) the right (?:time|moment|fit) for us|timing (?:isn't|is not|just isn't) right"
     r"|(?:have to|must|will|'ll|going to|respectfully) decline\b(?! (?:the|your) (?:meeting|invitation|invite|call))"
     r"|mark(?:ed|ing)? (?:it |this |this one |the deal |the opportunity |the opp )?(?:as )?lost\b"
     r"|(?:closing|closed|close) (?:it|this|the (?:deal|opportunity|opp)) (?:out )?as lost|\blost (?:on price|out to)\b"
     r"|nicht (?:weiterzuverfolgen|weiterzuführen|fortzusetzen|umzusetzen|zu realisieren|zu beauftragen)"
     r"|kein(?:en)? bedarf mehr|bedarf (?:hat sich|ist) (?:leider )?erledigt|(?:thema|projekt|sache) (?:ist|hat sich) (?:für uns )?(?:damit )?erledigt"
     r"|no longer (?:need|require) (?:it|this|a solution|an? (?:external |outside )?(?:partner|provider|vendor|supplier|solution|tool"
     r"|system|agency|consultant)s?|your (?:services|solution|help|support|offer|product|platform))\b"),
    ("closed_won",
     r"(?:have |has |we've |i've |just |now )?\b(?:signed|countersigned|executed|e-signed) (?:the |our |your |a |both )?"
     r"(?:contract|agreement|order form|msa|quote|proposal|deal|sow|paperwork|documents?|it\b|po\b|purchase order)"
     r"|(?:contract|agreement|order form|msa|quote|deal|paperwork|sow|documents?|envelope) (?:is |has been |was |are |have been |now )"
     r"(?:fully |now |finally |officially )*(?:signed|countersigned|executed|completed)"
     r"|\bsigned (?:copy|contract|agreement|order form|quote|proposal|sow|documents?|msa)|\bsigned and returned"
     r"|\b(?:signed|completed) the (?:docusign|adobe sign|e-?signature|envelope)"
     r"|(?:they|they've|they have|the customer|the client) (?:just |finally |officially )?signed\b"
     r"|\b(?:po|purchase order)(?: #?[\w-]*\d[\w-]*)? (?:is )?attached|please (?:send (?:us |me )?(?:the|your) |go ahead and )?invoice\b"
     r"|(?:attached|attaching|here is|here's|please find|enclosed)(?: is| are)? (?:the |our |a )?(?:signed|countersigned|executed|purchase order|po\b)"
     r"|(?:po|purchase order) (?:number|#|no\.?) ?(?:is |:)?[\w-]*\d|purchase order (?:attached|is attached|has been issued|was issued|is on its way|went out)"
     r"|(?:issued|raised|sent|released|approved) (?:you |us )?(?:a|the|our|your|an) (?:new |revised |updated )?(?:po\b|purchase order)"
     r"|^completed: |all parties have (?:signed|completed)|(?:your |the )?(?:envelope|document) has been completed"
     r"|(?:moving|move|go|going) (?:forward|ahead) with (?:you\b|your (?:proposal|offer|quote|solution|team|platform)|the (?:proposal|offer|quote|order|purchase|contract|agreement))"
     r"|(?:decided|chosen|chose|selected) (?:to go with )?(?:you\b|your (?:proposal|offer|quote|solution|company|team))"
     r"|(?:accept|accepted|approve|approved) (?:your|the) (?:proposal|offer|quote|quotation)"
     r"|(?:you've|you have) (?:won|got) (?:the|our) (?:business|deal|contract|order)|closed[- ]won|welcome aboard"
     r"|(?:unterschriebenen?|unterzeichneten?|gegengezeichneten?) (?:vertrag|angebot|auftrag|auftragsbestätigung|bestellung|rahmenvertrag)"
     r"|(?:vertrag|angebot|auftrag|rahmenvertrag) (?:ist |wurde )?(?:heute )?(?:unterschrieben|unterzeichnet|gegengezeichnet)"
     r"|anbei (?:unsere|die|der|den) (?:bestellung|unterschrieben\w*|auftrag)|unterschrieben zurück|(?:unsere|die) zusage"
     r"|auftrag (?:ist )?erteilt|erteilen (?:ihnen )?(?:hiermit )?den auftrag|beauftragen (?:sie|wir sie) (?:hiermit)?"
     r"|bestellung (?:anbei|ist raus|wurde ausgelöst|ist ausgelöst|erteilt|aufgegeben)|bestellen hiermit|bestellnummer"
     r"|(?:nehmen|akzeptieren) (?:ihr|das) angebot (?:gerne )?an|angebot (?:ist |wurde )?angenommen|(?:den )?zuschlag (?:erteilt|erhalten)"
     r"|(?:für sie|für ihr angebot|für ihre lösung) entschieden|auftragsbestätigung"
     r"|(?:übermitteln|senden|schicken|übersenden|erteilen) (?:wir )?(?:ihnen )?(?:hiermit |anbei )?(?:unsere[nr]?|die|den) (?:bestellung|auftrag|bestellschein)"
     r"|bitten um (?:die |eine )?(?:zusendung|übersendung|bestätigung) (?:der|einer) auftragsbestätigung"
     r"|(?:please )?(?:send|issue) (?:us |me )?(?:the |an |your )?order confirmation"
     r"|(?:we )?(?:hereby )?(?:place|confirm|placing|confirming) (?:the|our|an|this) order\b|here is our (?:purchase )?order\b"
     r"|(?:happy|pleased|glad|delighted) to (?:proceed|go ahead|sign off)(?! with (?:a|an|the) (?:demo|call|meeting|workshop|pilot|trial|chat)\b)"
     r"|\bsigned (?:on|from) our (?:side|end)|(?:engagement letter|letter of engagement|contract|agreement) (?:is )?signed\b"
     r"|(?:erhalten sie|senden wir ihnen|schicken wir ihnen) (?:hiermit )?unsere[nr]? (?:bestellung|auftrag|bestellschein)"
     r"|\bbestell\w* (?:ich|wir) (?:\w+ )?hiermit|hiermit bestell|(?:hat|haben) (?:heute |jetzt |gestern |endlich )?bestellt\b"
     r"|(?:have|has) (?:just )?placed (?:the|an|their|our) order\b|award(?:ed|ing)? (?:the (?:contract|business|tender|work) )?to you\b"
     # Purchase orders and approvals in the many ways buyers write them.
     r"|(?:attached|anbei|enclosed|here is|here's|please find|you will find|finden sie)[^.!?\n]{0,25}\b(?:po|purchase order|bestellung)\b"
     r"|\b(?:po|purchase order|bestellung|bestellnummer)\b[^.!?\n]{0,20}?(?:#|no\.?|nr\.?|number|nummer)?\s*:?\s*\d{5,}"
     r"|(?:purchase order|po|bestellung)\b[^.!?\n]{0,20}?\b(?:has been|was|ist|wurde) (?:released|created|raised|issued|approved|placed"
     r"|freigegeben|erstellt|ausgelöst|erfolgt|platziert)"
     r"|(?:order|bestellung) (?:has been|was|ist|wurde) (?:placed|submitted|aufgegeben|erfolgt|platziert|ausgelöst)"
     r"|bestellung (?:erfolgt|kommt|folgt) (?:über|via|per|in kürze|morgen|heute)"
     r"|(?:the|a|our|your|formal|final|official) go[- ]ahead\b|\bgo-ahead\b|green light|grünes licht|\bgo von (?:unserer|meiner) seite"
     r"|freigabe (?:ist )?(?:erteilt|erfolgt)"
     # (An approval inside the customer, "our CFO approved the proposal", still waits for the signature.)
     # ("Approved - go ahead" is as often a manager answering a discount request: not the customer's yes.)
     r"|approval to (?:proceed|go ahead|move forward|sign|order|purchase)"
     r"|confirm (?:that )?we (?:will|shall|'ll|are going to) (?:proceed|go ahead|move forward|order|sign)"
     r"|(?:go|going|move|moving) (?:ahead|forward) with the (?:[\w-]+ ){0,3}(?:package|option|plan|tier|edition|variant|bundle|paket|variante|scope)\b"
     r"|please go ahead and (?:book|order|schedule|start|reserve|block|confirm|proceed|invoice|kick off)"
     r"|(?:it'?s|we have|consider it|that'?s) a deal(?![\w-])"
     r"|(?:bestätigen|erteilen) (?:wir )?(?:ihnen )?(?:hiermit )?(?:den|unseren|ihren) auftrag|auftrag (?:ist |wird )?(?:hiermit )?bestätigt"
     r"|\b(?:we|they) (?:have |'ve )?(?:just |now |finally |officially )?signed(?: it| today| this morning| yesterday)*\s*[.!]"
     r"|(?:excited|ready|happy|pleased|delighted|thrilled|glad|keen) to (?:move|go) (?:forward|ahead)\b"
     r"(?! (?:with|to|into|on) (?:a|an|the|some|our|your)? ?(?:demo|call|meeting|trial|pilot|workshop|discussion|conversation|next"
     r"|evaluation|poc|discovery|scoping|technical|deep))"
     r"|we(?:'ll| will) take (?:it|them|the [\w-]+ (?:option|plan|package|tier|offer|bundle|edition))\b"
     r"(?! (?:from|further|up|on|over|offline|into|to|with|back|away|out|forward|in)\b)"
     r"|(?:we'?re|we are|we're all|all) good to go\b(?! for\b)|got (?:yourself|yourselves) a deal"
     r"|let'?s make it official|(?:it'?s|we'?re|this is) (?:now )?official\b|count us in\b"
     r"|(?:going|go|went|proceed|proceeding) with (?:you|your (?:team|company|proposal|offer|solution|platform|firm|agency|quote))\b"
     r"|(?:you've|you have) (?:convinced us|won us over)|(?:sie haben|ihr habt) uns überzeugt"
     r"|(?:der )?auftrag geht an (?:sie|euch)|(?:auftrag|zuschlag|projekt)\b[^.!?\n]{0,20}\ban (?:sie|euch|ihr unternehmen|ihre firma) (?:vergeben|erteilt)|(?:sie|ihr) (?:bekommen|erhalten|bekommt|erhaltet) den (?:auftrag|zuschlag)"
     r"|signed and (?:sent back|sent|uploaded|returned)"
     r"|(?:we'?re|we are|it'?s) a go\b|(?:it'?s|that'?s) a (?:yes|go) from (?:us|our side|me)|a definite yes"
     r"|(?:decided|decision is|chosen|going|ready) to proceed\b(?! with (?:a|an|the) (?:demo|call|meeting|trial|pilot|workshop|evaluation|poc|discovery|next))"
     r"|proceed with (?:the|your|our) (?:[\w-]+ ){0,3}(?:subscription|plan|package|option|proposal|offer|quote|order|contract|agreement"
     r"|purchase|licen[cs]es?|rollout|implementation|retainer|engagement)\b"
     r"|(?:das|ihr) angebot (?:gerne |so )?annehmen|(?:entschieden|entschlossen)[^.!?\n]{0,20}mit (?:ihnen|euch|dir) "
     r"(?:zusammenzuarbeiten|zu arbeiten|zu starten|weiterzumachen)|wir starten mit (?:ihnen|euch)"
     r"|(?:implementation|onboarding|rollout|customer) kick-?off|kick-?off (?:der |zur )?(?:implementierung|einführung)"
     r"|(?:got|received|have|has) (?:the |our )?(?:final )?sign-?off\b(?! (?:on|for) (?:the )?(?:budget|pilot|demo|trial))"
     r"|paperwork (?:is |has been )?(?:all )?(?:done|complete|completed|signed)\b"
     r"|(?:contract|order form|agreement|paperwork|sow|msa|quote|po)(?:'s| is) back\b(?!\s+(?:with|from legal|to you))"
     r"|(?<!please )(?<!to be )(?<!be )\bcountersigned\b(?! by (?:you|your))"
     r"|(?-i:[A-Z])[a-z]+ (?:has |just )?signed (?:it |the [\w-]+ )?(?:this morning|today|yesterday|last night|earlier today)"
     r"|\bpo (?:is |has been )?(?:on its way|issued|released|raised|sent)\b"
     r"|officially (?:on board|a customer|customers|signed|partners)\b"
     r"|(?:we )?agree(?:d)? to (?:the|your) (?:terms|pricing|price|conditions|offer|proposal|quote)\b"
     r"|renew (?:it |them )?for (?:another|a further|one more|\d+|two|three) (?:year|years|months)"
     r"|renew (?:the|our) (?:service |support |maintenance |software )?(?:contract|agreement|subscription|licen[cs]es?)"
     r"|verlängerung (?:ist )?(?:bestätigt|zugesagt)|(?:verlängern|erneuern) (?:wir )?(?:den|unseren|die) (?:service|wartungs|support|rahmen)?(?:vertrag|verträge|lizenzen)"
     r"|(?:die |ihre )?rechnung (?:bitte )?(?:an|z\. ?hd\.?) (?:unsere|die) (?:buchhaltung|kreditorenbuchhaltung|finanzabteilung)"
     r"|welcome on board|willkommen an bord|award letter|letter of award|notice of award|zuschlagsschreiben"
     r"|(?:bid|tender|offer|proposal|submission|angebot)s? (?:was|has been|were|is|wurde) (?:successful|accepted|angenommen|erfolgreich)"),
    ("negotiation",
     r"redline|red-line|(?:msa|contract|agreement|vertrag) (?:review|draft|terms|markup|comments)|legal (?:review|team|has|is)"
     r"|discount(?!er)|counter[- ]?offer|payment terms|negotiat|final (?:price|pricing|terms)|best and final|security questionnaire"
     r"|(?:over|above|exceeds|beyond) (?:our|the) budget|(?:can|could) you (?:do|go) (?:better|lower)|too expensive|price is too high"
     r"|meet (?:you|us) (?:halfway|in the middle|at (?:[$€£]|\d|us\$|usd|eur|gbp|chf))|sharpen|procurement (?:review|process|terms|requires)"
     r"|rabatt|nachlass|vertragsentwurf|verhandl|zahlungsbedingungen|rechtsabteilung|über (?:unserem|dem) budget"
     r"|konditionen\b[^.!?\n]{0,30}\b(?:verhandeln|nachverhandeln|besprechen|anpassen|überarbeiten|sprechen|reden|klären|nachbessern)"
     r"|(?:bessere|neue|angepasste|finale|günstigere) konditionen"
     # ("Das ist uns zu teuer geworden" is their current way of working: a pain, not our price.)
     r"|zu teuer(?!\s+(?:geworden|werden|wird))|preislich (?:entgegen|nachbessern)|entgegenkommen"
     r"|\b(?:msa|dpa|sow)\b[^.!?\n]{0,40}\b(?:comments|changes|edits|markup|mark-up|redlines?|clause|terms|review(?:ed)?|feedback)"
     r"|(?:comments|changes|edits|markup|mark-up|feedback) (?:on|to) (?:the |your |our )?(?:msa|dpa|sow|contract|agreement|terms|draft"
     r"|order form)"
     r"|(?:liability|indemnit|termination|renewal|sla) (?:cap|clause|terms?)\b|\bclauses?\b"
     r"|(?:security|vendor|infosec|compliance|supplier) questionnaire|(?:vendor|supplier|third[- ]party) (?:security |risk )?(?:assessment|review|due diligence)"
     r"|security (?:due diligence|review of (?:you|your (?:company|platform|service|solution)|the vendor))|vendor (?:onboarding|registration|setup)"
     r"|procurement (?:questionnaire|portal|form|checklist|onboarding)|einkauf (?:prüft|verhandelt)"
     r"|einkauf (?:hat|braucht|möchte|will) (?:noch )?(?:anmerkungen|fragen zu|änderungen|einwände|einen nachlass|rabatt|bessere)"
     r"|\bnet ?(?:30|45|60|90)\b|invoic(?:e|ing) (?:terms|schedule)|(?:better|best|volume|multi-year) (?:price|pricing|rate|deal)"
     r"|(?:reduce|lower|bring down) the (?:price|fee)|price (?:reduction|concession)|terms and conditions"
     r"|zahlungsziel|vertragsbedingungen|vertragsbesprechung|vertragsverhandlung|vertragsprüfung|vertragsänderung"
     # (A data processing agreement alone travels with most proposals; changes to it are negotiation.)
     r"|vertrags(?:entwurf|text) (?:geprüft|durchgesehen)|anmerkungen zum vertrag|\bagb\b"
     r"|(?:avv|auftragsverarbeitungsvertrag|datenschutzvereinbarung)\b[^.!?\n]{0,40}\b(?:änderung|anmerkung|anpassung|kommentar)"
     r"|sicherheitsfragebogen|preisnachlass|mengenrabatt"),
    ("proposal",
     r"proposal|(?:your|the|our|this|that|revised|updated|attached|new|final|formal|signed|written) (?:[\w-]+ )?quote\b"
     # (A standard price list, pricing overview or brochure is no offer to this customer.)
     r"|quote (?:attached|#|no\.?|number|ref)|quotation|pricing (?:proposal|options)|order form|sow\b|statement of work|price quote"
     r"|(?:our|the|revised|updated|commercial) offer\b|(?:here(?:'s| is) )?(?:the )?pricing (?:for|we discussed)"
     # "Ihr Angebot" is also "your range" ("Ihr Angebot zu VX-500?"): only thanked, dated or weighed it is an offer.
     r"|(?:dank\w*|danke) (?:für )?ihr (?:überarbeitetes |aktualisiertes |neues )?(?:angebot|offerte)\b"
     r"|ihr (?:überarbeitetes |aktualisiertes |neues )?(?:angebot|offerte) (?:vom|nr\.?|mit der nummer|haben wir|ist|liegt)\b"
     r"|ihr (?:überarbeitetes |aktualisiertes |neues )?(?:angebot|offerte)\b(?=[^.!?\n]{0,30}\b(?:prüfen|besprechen|durchgehen"
     r"|anschauen|ansehen|weiterleiten|vorlegen|vergleichen|freigeben|geprüft|besprochen|durchgesehen)\b)"
     r"|(?:unser|das|beigefügte|angehängte|überarbeitete|aktualisierte)s? (?:überarbeitetes |aktualisiertes |neues )?(?:angebot|offerte?)\b|(?:angebot|offerte?) (?:anbei|im anhang|für|nr\.?)"
     r"|kostenvoranschlag|preisangebot|preisübersicht|kostenschätzung|kostenaufstellung|grobkalkulation|kalkulation (?:anbei|für|im anhang)"
     r"|\bcost (?:estimate|breakdown)|\bbudget(?:ary)? (?:estimate|quote|quotation)|\bindicative (?:pricing|price|quote|offer)"
     r"|(?:sent|attached|enclosed|attaching|sending|here (?:is|are)|please find)[^.!?\n]{0,30}\b(?:pricing|prices|estimate|costing)\b"
     r"(?! (?:overview|sheet|list|page|guide|brochure|deck|one-pager|tiers|plans))"
     r"|pricing review|angebotsbesprechung|angebotspräsentation|preisvorschlag|angebot (?:gesendet|geschickt|verschickt|übermittelt)"),
    ("demo",
     r"\bdemo\b|\bdemonstration|\bwalkthrough|\bwalk-through|\bproduct tour|\bpoc\b|\bproof of concept|\bpilot|\btrial\b"
     r"|(?:showing|showed|shown) (?:us|me|the team) (?:the |your |around)|(?:site|factory|plant|warehouse|showroom|customer) (?:visit|tour)|test (?:cut|run|drive)|see [\w\s-]{1,40} in action"
     r"|vorführung|präsentation|testphase|teststellung|werksbesichtigung|lagerbesichtigung|besichtigung|live-demo"
     r"|sandbox|test (?:account|access|environment|instance)|trial (?:account|access|period|licen[cs]e)|evaluation (?:account|licen[cs]e)"
     r"|produktdemo|testzugang|testzugänge|testlizenz|testinstallation|pilotprojekt|pilotphase|erprobung"),
    ("qualified",
     r"discovery call|requirements|use case|budget (?:approved|for)|decision maker|timeline|evaluation|shortlist"
     r"|(?:our|your) (?:current|existing) (?:process|setup|workflow)|scope:"
     r"|bedarfsanalyse|anforderungen|budget (?:ist )?(?:freigegeben|vorhanden)|evaluierung"
     r"|go[- ]live (?:date|target|by|in)"
     r"|(?:need|want|looking) (?:this|it|something|a solution) (?:in place|live|running) (?:by|before)|must[- ]haves?"
     r"|zeitplan|zeitrahmen|einführung (?:bis|zum|im)"),
    ("lead",
     r"interested in|inquiry|enquiry|learn more|reach(?:ing)? out|introduc|would like to know|request (?:for|a) (?:information|quote)"
     r"|look(?:ing)? at (?:vendors|options|solutions)|anfrage|interesse an|interessiert|kennenlernen"),
)
# Narrow phrasings with anchor words common in other mail ("payment", "thanks"): searched on their own, so
# those words do not send every line through the long patterns above.
_EXTRA_PATTERNS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # Bought outright ("we've purchased 25 seats", "upgraded to the Business plan", "payment has been sent")
    # and a customer's plain yes.
    ("closed_won",
     # ("We", the buying organisation, and what a vendor sells: "I bought a house", "they bought Nymex" are not ours.)
     r"\bwe(?: have|'ve| just| now| finally| officially| already| went ahead and| gone ahead and)* "
     r"(?:purchased|bought|ordered|subscribed to|signed up for|upgraded to|upgraded our|paid for|paid the (?:first |initial |deposit )?invoice)\b"
     r"(?=[^.!?\n]{0,40}\b(?:seats?|licen[cs]es?|users?|units?|subscriptions?|plans?|packages?|tiers?|editions?|modules?|machines?"
     r"|systems?|robots?|invoice|from you|through you|with you|your)\b)"
     r"(?![^.!?\n]{0,50}\b(?:from (?!you\b|your\b|us\b)|years? ago|last year|in (?:19|20)\d\d|back in|previously|originally"
     r"|at the time|a while)\b)"
     r"|(?:deposit|down payment|first payment|initial payment|advance payment)(?: for (?:the |our )?[\w-]+)? (?:has been |was |is )"
     r"(?:sent|made|paid|transferred|processed|wired|completed)\b"
     r"|(?:anzahlung|zahlung|überweisung)\b[^.!?\n]{0,20}\b(?:ist |wurde )?(?:erfolgt|veranlasst|angewiesen|überwiesen|geleistet|getätigt)"
     r"|wir haben (?:\w+ )?(?:gekauft|erworben|abonniert)\b"
     r"|\bsign us up\b|where do (?:i|we) sign\b|(?:we'?re|we are) ready to (?:get started|sign|order|buy|purchase)\b"
     r"(?! (?:with|on) (?:a|an|the) (?:demo|call|pilot|trial|evaluation|discovery))"
     r"|let'?s get (?:this|it) (?:started|going|rolling|signed|done)\b",
     ("purchased", "bought", "ordered", "subscribed", "signed up", "upgraded", "paid", "payment", "deposit",
      "zahlung", "überweis", "gekauft", "erworben", "abonniert", "sign us", "do i sign",
      "do we sign", "ready to", "let's get", "lets get")),
    # A conversation held: whoever took a call with us is past a raw lead.
    ("qualified",
     r"(?:thanks?|thank you) (?:again |so much |very much )?for (?:the|your|our) (?:time|call|chat|conversation|quick call"
     r"|call earlier|meeting|great call|good call|discussion)\b"
     r"|(?:great|good|nice|lovely|a pleasure) (?:speaking|talking|chatting|meeting) (?:with|to) you"
     r"|as discussed (?:on the phone|on our call|earlier today|today|yesterday|in our call|on the call)"
     r"|(?:following|further to|after) (?:up on )?(?:our|the|today's|yesterday's) (?:call|conversation|chat|meeting|discussion)\b"
     r"|(?:wie|so wie) (?:heute |gestern |eben |vorhin )?(?:telefonisch|im gespräch|am telefon) besprochen"
     r"|(?:danke|vielen dank|herzlichen dank) für (?:das|unser|ihr|den) (?:nette[ns]? |angenehme[ns]? |gute[ns]? |informative[ns]? )?"
     r"(?:telefonat|gespräch|termin|austausch)\b|bezugnehmend auf unser (?:telefonat|gespräch)|nach unserem (?:telefonat|gespräch)",
     ("thank", "speaking", "talking", "chatting", "meeting with", "meeting you", "as discussed", "following",
      "further to", "after", "besprochen", "dank", "bezugnehmend", "nach unserem")),
)
# Substrings one of which every match of a stage contains: a C-speed gate before the regex.
# Plain anchors are substrings; those written r"\b…" are words ("po" is in "report", "net" in "internet").
_ANCHORS: dict[str, tuple[str, ...]] = {
    "closed_lost": ("another", "a different", "alternative", "an other", "competi", "existing", "current", "incumbent", r"\bother\b",
                    "moving forward", "proceed", "going ahead", "go ahead", "cancel", "shelved", "frozen", " cut", "pulled",
                    "killed", "scrapped", "withdrawn", "decided", "chose", "elected", "opted", "no longer", "pass on",
                    "selected", "successful", "closed", "lost", "direction", "fortsetzen", "fortführen", "umsetzen", "führen", "entschieden", "nicht weiter", "absage", "gestoppt",
                    "eis gelegt", "eingestellt", "gestrichen", "gekürzt", "eingefroren", "kein budget", "zuschlag",
                    "bleiben", "zuge", "supplier", "vendor", "provider", "competitor", "integrator", "bidder", "agency",
                    "consultancy", " firm", "award", "on hold", "paused", "on ice", "postpon", "freeze", "froze",
                    "this further", "it further", "things further", "this forward", "it forward", "things forward",
                    "any further", "any forward", "pass for", "pass this", "zurückst", "auf eis", "investition",
                    "verschoben", "successful", "award", "rejected", "declined", "turned down", "vetoed", "bleiben",
                    "abgelehnt", "beendet", "gestorben", "vom tisch",
                    "pursu", "progress", "went with", "gone with", "signed with", "picked", "opted for", "budget", "funding",
                    "grant", "capex", "investment", "financing", "förder", "finanzierung", "investitionsantrag",
                    "in-house", "in house", "internally", "ourselves", "keep", "stay", "stick", "continue", "renew",
                    r"\bintern\b", "inhouse", "selbst", "revisit", "pick this", "pick it", "come back to", "hold off",
                    "verschieb", "vertag", "schieben", "pass", "a no from", "decision", "choice", "vote", "other way",
                    "second", "successful", "gunsten", "vergeben", "wahl", "competitor", "competing", "rival", "renew",
                    " lost", "lost ", r"\boff\b", "put off", "dead", "can't", "cannot", "can not", "unable", "able to", "in a position",
                    "projects", "initiatives", "investments", "purchases", "spend", "projekt", "grant", "funding", "budget",
                    "förderung", "come through", "antrag", "indefinitely", "unbestimmte", "route", "path", "moving ahead",
                    "chosen", "choose", "what we", "decided", "priority", "deprioriti", "plug", "incumbent", "voted",
                    "right time", "right moment", "right fit", "timing", "decline", "lost", "nicht weiterzu", "nicht fortzu",
                    "nicht umzu", "nicht zu", "bedarf", "erledigt", "no longer", "went ", "hold off", "a no", "a hard no",
                    "a firm no", "a clear no", "froze", "vergeben", "gegeben", "beauftragt", "mitbewerber", "wettbewerber",
                    "konkurren", "anderen", "vertagt"),
    "closed_won": ("signed", "executed", "purchase order", r"\bpo\b", "attached", "attaching", "here is", "here's",
                   "please find", "enclosed", "issued", "completed", "forward with", "ahead with", "decided", "chose",
                   "selected", "accept", "approve", "won", "got the", "got our", "closed", "welcome aboard", "unterschrieb",
                   "invoice", "anbei", "zusage",
                   "unterzeichne", "gegengezeichne", "auftrag", "bestell", "angebot", "zuschlag", "entschieden",
                   "order confirmation", "the order", "our order", "an order", "this order", "purchase order",
                   "their order", "hiermit", "bestellt", "award",
                   "proceed", "go ahead", "sign off",
                   "bestellung", "order", "go-ahead", "go ahead", "green light", "grünes licht", "go von", "freigabe",
                   "approved", "signed off", "gave the go", "genehmigt", "freigegeben", "zugestimmt", "approval to",
                   "confirm", "forward with", "deal", "bestätig", "erteilen", "renew", "verlänger", "erneuern", "rechnung",
                   "on board", "an bord", "award", "zuschlag", "successful", "accepted", "angenommen", "erfolgreich",
                   "forward", "ahead", "take it", "take the", "good to go", "a deal", "official", "count us", "with you",
                   "with your", "convinced", "won us", "überzeugt", "geht an", "den auftrag", "den zuschlag", "signed and",
                   "a go", "a yes", "definite yes", "proceed", "annehmen", "zusammenzuarbeiten", "zu arbeiten", "zu starten",
                   "weiterzumachen", "starten mit", "kickoff", "kick-off", "renew", "sign-off", "signoff", "paperwork",
                   "contract's back", "contracts back", "po ", "officially", "agree", "'s back", " is back", "countersigned",
                   "signed", "vergeben", "erteilt"),
    "negotiation": ("redline", "red-line", "msa", "contract", "agreement", "vertrag", "legal", "procurement", "discount",
                    "counter", "payment terms", "negotiat", "final", "security questionnaire", "budget", "better",
                    "lower", "expensive", "too high", "meet ", "sharpen", "rabatt", "nachlass", "konditionen", "verhandl",
                    "zahlungsbedingungen", "rechtsabteilung", "zu teuer", "preislich", "entgegenkommen", "dpa", "sow",
                    "comments", "changes", "edits", "markup", "mark-up", "feedback", "data processing", "clause", r"\bcap\b",
                    "questionnaire", "assessment", "review", "vendor", r"\bnet ?\d", "invoic", "price", "pricing", "best ", "volume", "multi-year",
                    "terms", "zahlungsziel", "einkauf", "vertrag", "agb", "avv", "sicherheitsfragebogen", "preisnachlass",
                    "mengenrabatt"),
    "proposal": ("proposal", "quot", "pricing", "order form", "sow", "statement of work", "price", "offer", "angebot",
                 "kostenvoranschlag", "preis", "estimate", "costing", "angebot", "kosten", "kalkulation", "cost "),
    "demo": ("demo", "walkthrough", "walk-through", "product tour", "poc", "proof of concept", "pilot", "trial",
             "visit", "tour", "test ", "in action", "show", "vorführung", "präsentation", "testphase", "teststellung", "besichtigung",
             "sandbox", "evaluation", "testzug", "testlizenz", "testinstallation", "pilot", "erprobung"),
    "qualified": ("discovery call", "requirements", "use case", "budget", "decision maker", "timeline", "evaluation",
                  "shortlist", "current", "existing", "scope:", "bedarfsanalyse", "anforderungen", "evaluierung", "go-live",
                  "go live", "need", "want", "looking", "must", "zeitplan", "zeitrahmen", "einführung"),
    "lead": ("interested in", "inquiry", "enquiry", "learn more", "reach", "introduc", "would like to know", "request",
             "look", "anfrage", "interesse an", "interessiert", "kennenlernen"),
}
Gate = tuple[tuple[str, ...], re.Pattern[str] | None]


def _gate(anchors: tuple[str, ...]) -> Gate:
    words = [a for a in anchors if a.startswith("\\b")]
    return (tuple(a for a in anchors if not a.startswith("\\b")),
            re.compile("|".join(words), re.IGNORECASE) if words else None)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.MULTILINE)


# Per stage, most advanced first: its patterns, each with the gate its lines must pass.
_COMPILED: tuple[tuple[str, tuple[tuple[re.Pattern[str], Gate], ...]], ...] = tuple(
    (stage, ((_compile(pattern), _gate(_ANCHORS[stage])),
             *((_compile(extra), _gate(anchors)) for name, extra, anchors in _EXTRA_PATTERNS if name == stage)))
    for stage, pattern in _STAGE_PATTERNS
)
_BY_STAGE = dict(_COMPILED)


@dataclass(frozen=True, slots=True)
class StageHint:
    stage: str
    outcome: str | None  # won | lost | None
    start: int
    end: int
    text: str


_LINE = re.compile(r"[^\n]+")
_DOCUMENT_WORDS = re.compile(r"proposal|quot|offer|angebot|offerte|order form|\bsow\b|statement of work|kostenvoranschlag", re.I)
_PRICE_WORDS = re.compile(r"pric|preis|estimate|costing|kosten", re.I)


def price_only(phrase: str) -> bool:
    """A proposal hint that is only prices ("pricing for 20 seats"), no proposal or quote document: an answer
    to a first enquiry gives list prices, which is not a proposal; after discovery or a demo it is one."""
    return bool(_PRICE_WORDS.search(phrase)) and not _DOCUMENT_WORDS.search(phrase)


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Each line's span and lower-cased text: a stage phrase never spans lines, so only lines holding one
    of a stage's anchor words are searched (the patterns are long; mail is mostly other lines)."""
    return [(m.start(), m.end(), m.group(0).lower()) for m in _LINE.finditer(text)]


def _stated(stage: str, patterns: tuple[tuple[re.Pattern[str], Gate], ...], text: str,
            lines: list[tuple[int, int, str]], ours: tuple[str, ...] = (), guessed: list[StageHint] | None = None,
            asked: list[StageHint] | None = None) -> StageHint | None:
    for pattern, (plain, words) in patterns:
        hint = _first_stated(stage, pattern, plain, words, text, lines, ours, guessed, asked)
        if hint is not None:
            return hint
    return None


def _first_stated(stage: str, pattern: re.Pattern[str], plain: tuple[str, ...], words: re.Pattern[str] | None, text: str,
                  lines: list[tuple[int, int, str]], ours: tuple[str, ...], guessed: list[StageHint] | None,
                  asked: list[StageHint] | None) -> StageHint | None:
    for start, end, lowered in lines:
        if not (any(anchor in lowered for anchor in plain) or (words is not None and words.search(text, start, end))):
            continue
        for m in pattern.finditer(text, start, end):
            if stage == "closed_lost" and ours and any(name in m.group(0).lower() for name in ours):
                continue  # "they went with Northwind" names us: not a loss
            if counts(stage, text, m.start(), m.end()):
                outcome = "won" if stage == "closed_won" else "lost" if stage == "closed_lost" else None
                return StageHint(stage, outcome, m.start(), m.end(), m.group(0))
            if stage == "closed_lost" and guessed is not None and not guessed and guessed_loss(text, m.start(), m.end()):
                guessed.append(StageHint(stage, None, m.start(), m.end(), m.group(0)))
            if stage == "proposal" and asked is not None and not asked and asked_for(text, m.start(), m.end()):
                asked.append(StageHint("qualified", None, m.start(), m.end(), m.group(0)))
    return None


def stage_hint(text: str, ours: tuple[str, ...] = ()) -> StageHint | None:
    """The most advanced stage the text states (not negated, asked, requested or planned), with where it said so.

    `ours` are lower-case words that name the workspace: a winner named with them is us, not a competitor.
    A loss the writer only guesses at comes back as closed_lost with no outcome.
    """
    lines = _lines(text)
    guessed: list[StageHint] = []
    asked: list[StageHint] = []
    for stage, patterns in _COMPILED:
        if stage == "qualified" and asked:
            # Asking for a proposal is a customer with a need, ready to talk price: qualified.
            return asked[0]
        hint = _stated(stage, patterns, text, lines, ours, guessed, asked)
        if hint is not None:
            return hint
        if stage == "closed_won" and guessed:
            # A loss only guessed at ("I'm guessing the timing isn't right"), typically a rep's last chaser:
            # closed_lost without an outcome, which the deal takes only once the customer answers it.
            return guessed[0]
    return None


def stage_statement(text: str, stage: str) -> StageHint | None:
    """Where the text states that the deal is at `stage` (the first such mention), or None."""
    patterns = _BY_STAGE.get(stage)
    return _stated(stage, patterns, text, _lines(text)) if patterns is not None else None
