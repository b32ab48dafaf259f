"""Statements, their revisions and agreements, participating organisations, approvals, comments and amendments.

Revision ID: bf05d77894f0
Revises: 2f652b22d10d
Create Date: 2026-11-25 01:47:04.520207

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bf05d77894f0'
down_revision = '2f652b22d10d'
branch_labels = None
depends_on = None


# Revisions are immutable: the database refuses to change or delete one.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
       BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END""",
    """CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
       BEGIN SELECT RAISE(ABORT, 'revisions are immutable'); END""",
]
POSTGRESQL_TRIGGERS = [
    """CREATE FUNCTION revisions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'revisions are immutable' USING ERRCODE = 'integrity_constraint_violation'; END $$""",
    """CREATE TRIGGER revisions_immutable BEFORE UPDATE OR DELETE ON revisions
       FOR EACH ROW EXECUTE FUNCTION revisions_immutable()""",
]
#: statements and revisions refer to each other, so these are added once both tables exist.
REVISION_LINKS = ("current", "proposed", "agreed")


def upgrade():
    op.create_table('statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('lead_organisation_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('draft', 'in_agreement', 'agreed', 'open', 'closed', name='statement_stage', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('current_revision_id', sa.Integer(), nullable=True),
    sa.Column('proposed_revision_id', sa.Integer(), nullable=True),
    sa.Column('agreed_revision_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_statements_created_by_id_users')),
    sa.ForeignKeyConstraint(['lead_organisation_id'], ['organisations.id'], name=op.f('fk_statements_lead_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statements')),
    sa.UniqueConstraint('slug', name=op.f('uq_statements_slug'))
    )
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statements_lead_organisation_id'), ['lead_organisation_id'], unique=False)

    op.create_table('revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('asks', sa.JSON(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('change_note', sa.String(length=300), server_default='', nullable=False),
    sa.Column('based_on_id', sa.Integer(), nullable=True),
    sa.Column('restored_from_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_revisions_author_id_users')),
    sa.ForeignKeyConstraint(['based_on_id'], ['revisions.id'], name=op.f('fk_revisions_based_on_id_revisions')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_revisions_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['restored_from_id'], ['revisions.id'], name=op.f('fk_revisions_restored_from_id_revisions')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_revisions_statement_id_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisions')),
    sa.UniqueConstraint('statement_id', 'number', name=op.f('uq_revisions_statement_id_number'))
    )
    op.create_table('statement_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('lead', 'co_author', 'reviewer', name='participant_role', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('status', sa.Enum('invited', 'active', 'declined', 'stepped_down', 'withdrawn', name='participant_status', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('responded_by_id', sa.Integer(), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('private_reason', sa.Text(), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_statement_participants_invited_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_statement_participants_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['responded_by_id'], ['users.id'], name=op.f('fk_statement_participants_responded_by_id_users')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_participants_statement_id_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_participants')),
    sa.UniqueConstraint('statement_id', 'organisation_id', name=op.f('uq_statement_participants_statement_id_organisation_id'))
    )
    with op.batch_alter_table('statement_participants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_participants_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('statement_topics',
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.Enum('local_government_funding', 'social_security', 'employment_support', 'growth', 'other', name='statement_topic', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_topics_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('statement_id', 'topic', name=op.f('pk_statement_topics'))
    )
    with op.batch_alter_table('statement_topics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_topics_topic'), ['topic'], unique=False)

    op.create_table('agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('agreed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_agreements_revision_id_revisions')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_agreements_statement_id_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements')),
    sa.UniqueConstraint('revision_id', name=op.f('uq_agreements_revision_id'))
    )
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreements_statement_id'), ['statement_id'], unique=False)

    op.create_table('amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('base_revision_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('asks', sa.JSON(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('proposer_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('open', 'accepted', 'rejected', 'withdrawn', 'outdated', name='amendment_status', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), server_default='', nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['base_revision_id'], ['revisions.id'], name=op.f('fk_amendments_base_revision_id_revisions')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_amendments_decided_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_amendments_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['proposer_id'], ['users.id'], name=op.f('fk_amendments_proposer_id_users')),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_amendments_revision_id_revisions')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_amendments_statement_id_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendments')),
    sa.UniqueConstraint('statement_id', 'number', name=op.f('uq_amendments_statement_id_number'))
    )
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendments_statement_id'), ['statement_id'], unique=False)

    op.create_table('approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.Enum('approved', 'changes_requested', name='approval_decision', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('comment', sa.Text(), server_default='', nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_approvals_decided_by_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_approvals_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_approvals_revision_id_revisions')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_approvals_statement_id_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_approvals')),
    sa.UniqueConstraint('revision_id', 'organisation_id', name=op.f('uq_approvals_revision_id_organisation_id'))
    )
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approvals_statement_id'), ['statement_id'], unique=False)

    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('paragraph', sa.Integer(), nullable=True),
    sa.Column('quoted', sa.Text(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_comments_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['parent_id'], ['comments.id'], name=op.f('fk_comments_parent_id_comments')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_comments_resolved_by_id_users')),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_comments_revision_id_revisions')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_comments_statement_id_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_statement_id'), ['statement_id'], unique=False)

    with op.batch_alter_table('statements', schema=None) as batch_op:
        for link in REVISION_LINKS:
            batch_op.create_foreign_key(f'fk_statements_{link}_revision_id_revisions', 'revisions', [f'{link}_revision_id'], ['id'])
    triggers = POSTGRESQL_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER revisions_immutable ON revisions")
        op.execute("DROP FUNCTION revisions_immutable()")
    else:
        op.execute("DROP TRIGGER revisions_no_update")
        op.execute("DROP TRIGGER revisions_no_delete")
    with op.batch_alter_table('statements', schema=None) as batch_op:
        for link in REVISION_LINKS:
            batch_op.drop_constraint(f'fk_statements_{link}_revision_id_revisions', type_='foreignkey')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_statement_id'))
        batch_op.drop_index(batch_op.f('ix_comments_parent_id'))

    op.drop_table('comments')
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approvals_statement_id'))

    op.drop_table('approvals')
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendments_statement_id'))

    op.drop_table('amendments')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreements_statement_id'))

    op.drop_table('agreements')
    with op.batch_alter_table('statement_topics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_topics_topic'))

    op.drop_table('statement_topics')
    with op.batch_alter_table('statement_participants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_participants_organisation_id'))

    op.drop_table('statement_participants')
    op.drop_table('revisions')
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statements_lead_organisation_id'))

    op.drop_table('statements')
