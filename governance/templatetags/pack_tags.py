"""The board pack page's body, rendered once for each set of inputs it depends on.

The body of a past meeting's pack is hundreds of rows (every change since the previous
meeting, the exceptions, the actions not updated) and takes longer to render than the
rest of the request. It depends on the pack's data and on what the template is told about
the user (whether they may record reviews), nothing else: the user's name, the sign-out
form and its CSRF token, and messages are in base.html, outside it. A body kept is sent
to a browser that takes gzip as it was compressed when kept (the view's response goes
through the slot's ``finish``).
"""

from django import template

from sendplan.spliced_gzip import accepts_gzip

register = template.Library()


class PackBodyNode(template.Node):
    def __init__(self, nodelist, pack, vary_on):
        self.nodelist = nodelist
        self.pack = pack
        self.vary_on = vary_on

    def render(self, context):
        slot = getattr(self.pack.resolve(context), "cache_slot", None)
        if slot is None:  # a preview, or the meeting's day not over: nothing is cached
            return self.nodelist.render(context)
        part = "body:" + ":".join(repr(value.resolve(context)) for value in self.vary_on)
        request = context.get("request")
        gzip = request is not None and accepts_gzip(request.headers.get("Accept-Encoding", ""))
        stored = slot.fetch_body(part, gzip=gzip)
        if stored is not None:
            # A node's output is joined into the page as it is (no escaping, no mark_safe
            # copy): it is the template's own rendering, kept.
            return stored
        body = self.nodelist.render(context)
        slot.store_body(part, body)
        return body


@register.tag
def pack_body(parser, token):
    """{% pack_body pack flag ... %}…{% endpack_body %}: the enclosed template, cached with
    the pack (governance/pack_cache.py) and varying on every flag given, which must be all
    the per-user values the enclosed template reads."""
    pack, *vary_on = token.split_contents()[1:]
    nodelist = parser.parse(("endpack_body",))
    parser.delete_first_token()
    return PackBodyNode(
        nodelist, parser.compile_filter(pack), [parser.compile_filter(v) for v in vary_on]
    )
