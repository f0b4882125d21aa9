"""`{% constant %}…{% endconstant %}`: template text that is the same on every request, rendered
once per language and process.

Every page repeats runs of markup whose only tags are `{% translate "…" %}`, `{% url 'name' %}`
and `{% static '…' %}` with literal arguments: the header's links, the footer, the filter form's
labels. Rendered normally each of those tags costs a gettext chain or a URL reversal on every
request (~50 of them on the catalog page). Inside `{% constant %}` the run is rendered the first
time a language asks for it and the text is reused: it is what the template engine would produce
anyway, a function of the language alone (the script prefix, URLconf and autoescaping are in the
key too). Nothing that depends on data or on the visitor can be inside: the tag refuses, when the
template is compiled, any variable, filter, other tag or namespaced URL name (whose reversal can
depend on the current app) with a `TemplateSyntaxError`, so it can never serve stale or somebody
else's content. Translations and URL patterns change only with a deploy, which restarts the process.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Node, NodeList, TextNode, Variable
from django.template.defaulttags import CommentNode, URLNode
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()


def _literal(expression: FilterExpression | None) -> bool:
    """A quoted string with no filters: resolved to a str by the parser, or (in `translate`) a
    `Variable` holding a literal and no lookups."""
    if expression is None or expression.filters:
        return False
    var = expression.var
    return not isinstance(var, Variable) or (var.literal is not None and var.lookups is None)


def _check(nodelist: NodeList) -> None:
    for node in nodelist:
        if isinstance(node, TextNode | CommentNode):
            continue
        if isinstance(node, TranslateNode):
            ok = _literal(node.filter_expression) and node.asvar is None and node.message_context is None
        elif isinstance(node, URLNode):
            # A namespaced name can reverse differently per request (the current app): refused.
            ok = (
                _literal(node.view_name)
                and ":" not in str(node.view_name.var)
                and not node.args
                and not node.kwargs
                and node.asvar is None
            )
        elif isinstance(node, StaticNode):
            ok = _literal(node.path) and node.varname is None
        else:
            ok = False
        if not ok:
            raise template.TemplateSyntaxError(
                "{% constant %} may hold only text and {% translate %}, {% url %} and {% static %} "
                f"with literal arguments; found {node.token.contents if node.token else node!r}"
            )


class ConstantNode(Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple, str] = {}

    def render(self, context) -> str:
        # The script prefix and URLconf are set once per request, before any template renders, so
        # they are read once per context (three thread-local reads cost more than the lookup).
        where = context.__dict__.get("_constant_where")
        if where is None:
            where = context._constant_where = (get_script_prefix(), get_urlconf())
        key = (get_language(), where, context.autoescape)
        text = self.rendered.get(key)
        if text is None:
            text = self.nodelist.render(context)
            self.rendered[key] = text
        return text


@register.tag
def constant(parser, token) -> ConstantNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% constant %} takes no arguments")
    nodelist = parser.parse(("endconstant",))
    parser.delete_first_token()
    _check(nodelist)
    return ConstantNode(nodelist)
