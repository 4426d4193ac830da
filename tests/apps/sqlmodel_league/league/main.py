from sqlmodel import Session, SQLModel, create_engine, select

from league.models import Team

engine = create_engine("sqlite:///league.db")


def create_db_and_tables() -> None:
    SQLModel.metadata.create_all(engine)


def teams() -> list[Team]:
    with Session(engine) as session:
        return list(session.exec(select(Team)))
