#!/usr/bin/perl
# Debian's OpenAPI::Client (libopenapi-client-perl) reading the served
# /openapi.json at run time, through the same 11 steps as consumer/scenario.ts.
use strict;
use warnings;
use OpenAPI::Client;

my ($base, $key) = ($ENV{BASE_URL}, $ENV{API_KEY});
die "BASE_URL and API_KEY must be set (test/generators/run.ts sets them)\n" unless $base && $key;

# Written by hand with OpenAPI::Client: the key, on every request once set; the
# merge-patch media type on PATCH (it sends every body as application/json);
# and the next page's cursor from the Link header. It checks bodies against
# the document before sending, so a bad body is its own 400, naming /body/<field>.
my $client = OpenAPI::Client->new("$base/openapi.json", base_url => $base);
my $with_key = 0;
$client->on(after_build_tx => sub {
  my $req = $_[1]->req;
  $req->headers->authorization("Bearer $key") if $with_key;
  $req->headers->content_type('application/merge-patch+json') if uc $req->method eq 'PATCH';
});
sub next_after { my ($link) = @_; return $link && $link =~ /^<[^>]*[?&]after=([^&>]+)[^>]*>; rel="next"$/ ? $1 : undef }

my %new = (survived => Mojo::JSON::true, passengerClass => 2, name => 'Generated Client', sex => 'female', age => 30,
  siblingsOrSpousesAboard => 0, parentsOrChildrenAboard => 1, fare => 12.5);
my ($uuid, $etag, $stale);

sub expect { my ($what, $got, $want) = @_; die "$what: expected $want, got " . ($got // 'undef') . "\n" unless defined $got && $got eq $want }

my @steps = (
  ['401 without key', sub { expect(status => $client->createPassenger({body => \%new})->res->code, 401) }],
  ['create', sub {
    $with_key = 1;
    my $res = $client->createPassenger({body => \%new})->res;
    expect(status => $res->code, 201);
    ($uuid, $etag) = ($res->json->{uuid}, $res->headers->etag);
  }],
  ['get', sub {
    my $res = $client->getPassenger({uuid => $uuid})->res;
    expect(status => $res->code, 200);
    expect(name => $res->json->{name}, $new{name});
    expect(ETag => $res->headers->etag, $etag);
  }],
  ['all pages via Link', sub {
    my ($after, $pages, $seen) = (undef, 0, 0);
    do {
      my $res = $client->listPassengers({limit => 2, defined $after ? (after => $after) : ()})->res;
      expect(status => $res->code, 200);
      $seen ||= grep { $_->{uuid} eq $uuid } @{$res->json};
      $after = next_after($res->headers->header('Link'));
      $pages++;
    } while (defined $after);
    expect('several pages, the new passenger on one' => ($pages > 1 && $seen ? 'yes' : 'no'), 'yes');
  }],
  ['304 with If-None-Match', sub { expect(status => $client->getPassenger({uuid => $uuid, 'If-None-Match' => $etag})->res->code, 304) }],
  ['replace with If-Match', sub {
    my $res = $client->replacePassenger({uuid => $uuid, 'If-Match' => $etag, body => {%new, fare => 20}})->res;
    expect(status => $res->code, 200);
    expect(fare => $res->json->{fare}, 20);
    ($stale, $etag) = ($etag, $res->headers->etag);
  }],
  ['stale If-Match 412', sub { expect(status => $client->replacePassenger({uuid => $uuid, 'If-Match' => $stale, body => \%new})->res->code, 412) }],
  ['merge patch', sub {
    my $res = $client->patchPassenger({uuid => $uuid, 'If-Match' => $etag, body => {age => undef}})->res;
    expect(status => $res->code, 200);
    expect(age => (defined $res->json->{age} ? 'a number' : 'null'), 'null');
    $etag = $res->headers->etag;
  }],
  ['delete', sub { expect(status => $client->deletePassenger({uuid => $uuid, 'If-Match' => $etag})->res->code, 204) }],
  ['404 after delete', sub { expect(status => $client->getPassenger({uuid => $uuid})->res->code, 404) }],
  ['bad body 400', sub {
    my $res = $client->createPassenger({body => {%new, age => -1}})->res;
    expect(status => $res->code, 400);
    expect(field => $res->json->{errors}[0]{path}, '/body/age');
  }],
);

my $passed = 0;
for my $step (@steps) {
  my ($name, $run) = @$step;
  if (eval { $run->(); 1 }) { $passed++ } else { print qq{perl-openapi-client: step "$name" failed: $@} }
}
print "perl-openapi-client: $passed/" . scalar(@steps) . "\n";
exit($passed == @steps ? 0 : 1);
